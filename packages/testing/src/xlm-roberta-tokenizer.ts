import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tokenizerAssetsDir } from './hf-folder.js';

/** XLM-RoBERTa's special ids (fairseq order), which bge-reranker and jina-reranker-v2 keep. */
export const XLMR_SPECIAL_IDS = { bos: 0, pad: 1, eos: 2, unk: 3 } as const;

interface UnigramJson {
  model: { type?: string; unk_id: number; vocab: Array<[string, number]>; byte_fallback?: boolean };
  added_tokens: Array<{ id: number; content: string; single_word: boolean; lstrip: boolean; rstrip: boolean; normalized: boolean; special: boolean }>;
  post_processor: unknown;
  pre_tokenizer: unknown;
  [key: string]: unknown;
}

/**
 * An XLM-RoBERTa-shaped tokenizer.json built from t5-small's SentencePiece Unigram one (XLM-R's own
 * is 17 MB): the same normalizer, pre-tokenizer and pieces, with XLM-R's special tokens (`<s>` 0,
 * `<pad>` 1, `</s>` 2, `<unk>` 3, `<mask>` last with `lstrip`, as XLM-R declares it) and its
 * `RobertaProcessing` pair template `<s> A </s></s> B </s>` with all type ids 0.
 */
export function xlmRobertaTokenizerFromUnigram(source: unknown): Record<string, unknown> {
  const json = structuredClone(source) as UnigramJson;
  const pieces = json.model.vocab.filter(([piece]) => !['<pad>', '</s>', '<unk>'].includes(piece) && !/^<extra_id_\d+>$/.test(piece));
  const specials: Array<[string, number]> = [['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0]];
  const vocab: Array<[string, number]> = [...specials, ...pieces, ['<mask>', 0]];
  const added = (content: string, id: number, lstrip = false) => ({ id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true });
  return {
    ...json,
    model: { ...json.model, type: 'Unigram', unk_id: XLMR_SPECIAL_IDS.unk, vocab },
    added_tokens: [...specials.map(([content], id) => added(content, id)), added('<mask>', vocab.length - 1, true)],
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', XLMR_SPECIAL_IDS.eos], cls: ['<s>', XLMR_SPECIAL_IDS.bos], trim_offsets: true, add_prefix_space: true },
  };
}

/** tokenizer_config.json for the XLM-R-shaped tokenizer. */
export function xlmRobertaTokenizerConfig(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'XLMRobertaTokenizer',
    model_max_length: maxLength,
    bos_token: '<s>',
    cls_token: '<s>',
    eos_token: '</s>',
    sep_token: '</s>',
    unk_token: '<unk>',
    pad_token: '<pad>',
    mask_token: '<mask>',
  };
}

/** The bundled t5-small tokenizer.json (the source of the XLM-R-shaped one). */
export async function readT5Tokenizer(): Promise<unknown> {
  return JSON.parse(await readFile(join(tokenizerAssetsDir(), '..', 't5-small', 'tokenizer.json'), 'utf8'));
}
