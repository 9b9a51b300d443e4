import path from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { resolvePadId } from './pad-id';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

describe('resolvePadId', () => {
  it('reads the tokenizer pad token: 1 for the XLM-RoBERTa test model, 0 for BERT', async () => {
    const xlmr = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny-xlmr'), architecture: 'xlm-roberta' });
    const bert = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny') });
    expect(resolvePadId(await AutoTokenizer.from_pretrained(xlmr.dir, { local_files_only: true }), xlmr.config)).toBe(1);
    expect(resolvePadId(await AutoTokenizer.from_pretrained(bert.dir, { local_files_only: true }), bert.config)).toBe(0);
    // A tokenizer without a pad token falls back to config.json, not to 0.
    expect(resolvePadId({}, xlmr.config)).toBe(1);
    expect(path.basename(xlmr.dir)).toBe('core-unit-tiny-xlmr');
  });

  it('ignores values that are not ids', () => {
    expect(resolvePadId({ pad_token_id: null }, { pad_token_id: 1 })).toBe(1);
    expect(resolvePadId({ pad_token_id: -1 }, { pad_token_id: '1' })).toBe(0);
    expect(resolvePadId(undefined, {})).toBe(0);
  });
});
