import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError, ModelFormatError } from '../errors.js';
import { CrossEncoder } from '../cross-encoder.js';
import { sigmoid } from '../scores.js';
import { locateModel } from '../model-loader.js';
import { causalBatchTokens, detectCausalReranker, type CausalLoadOptions } from './causal-reranker.js';
import { positionIds } from './causal-session.js';
import { packLeftPadded } from './left-padded-batch.js';

// A tiny Qwen3-design reranker saved by sentence-transformers 6.0.1, with its scores for 57 pairs
// (test-fixtures/causal-reranker-tiny/README.md). Forward passes here run in this thread (`workers: 0`);
// test/onnx/causal-reranker.test.ts runs the built package on worker threads.
const FIXTURE = path.resolve(__dirname, '../../test-fixtures/causal-reranker-tiny');
const pairs = JSON.parse(readFileSync(path.join(FIXTURE, 'pairs.json'), 'utf8')) as Array<[string, string]>;
const reference = JSON.parse(readFileSync(path.join(FIXTURE, 'reference.json'), 'utf8')) as {
  one: number[];
  batched: number[];
  prompted: number[];
  defaultActivation: number[];
  firstIds: number[];
  firstRendered: string;
  instruction: string;
  maxLength: number;
};
const TOLERANCE = 1e-3;
// Full-vocabulary logits make these passes slow on a busy 2-core machine: generous per-test limits.
const SLOW = 600_000;

/** What `CrossEncoder.load` does first: locate the folder's files, then look for a causal-LM reranker in them. */
async function detect(folder: string, options: CausalLoadOptions) {
  return detectCausalReranker(await locateModel(folder, {}, { modelFile: 'onnx/model.onnx', dtype: 'fp32' }), options);
}

function maxDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  return Math.max(...expected.map((value, i) => Math.abs(actual[i]! - value)));
}

describe('causal-LM reranker encoding (sentence-transformers 6.0.1 reference)', () => {
  it('renders the chat template and tokenizes pair 0 to the same ids', async () => {
    const causal = (await detect(FIXTURE, {}))!;
    expect(causal).toBeDefined();
    expect(causal.scoring).toEqual({ trueTokenId: 10932, falseTokenId: 2362 });
    expect(Array.from(causal.encoder.encode(pairs[0]![0], pairs[0]![1], undefined).inputIds)).toEqual(reference.firstIds);
    expect(causal.encoder.tokenize(reference.firstRendered)).toEqual(reference.firstIds);
  });

  it('cuts long rows at maxLength and writes the template suffix back over their end', async () => {
    const causal = (await detect(FIXTURE, {}))!;
    const suffix = causal.encoder.suffix(undefined);
    // <|im_end|> "\n" <|im_start|> assistant "\n" <think> "\n\n" </think> "\n": the template's tail.
    expect(suffix[0]).toBe(50266);
    expect(suffix.at(-1)).toBe(causal.encoder.tokenize('\n')[0]);
    const long = pairs.reduce((best, [, d], i) => (d.length > pairs[best]![1].length ? i : best), 0);
    const ids = Array.from(causal.encoder.encode(pairs[long]![0], pairs[long]![1], undefined).inputIds);
    expect(ids).toHaveLength(reference.maxLength);
    expect(ids.slice(-suffix.length)).toEqual(suffix);
    const full = causal.encoder.tokenize(`x${pairs[long]![1]}`);
    expect(full.length).toBeGreaterThan(reference.maxLength);
  });

  it('left-pads batches and counts positions from each row\'s first real token', () => {
    const batch = packLeftPadded([{ inputIds: Int32Array.from([7, 8, 9]), tokenTypeIds: new Uint8Array(0) }, { inputIds: Int32Array.from([5]), tokenTypeIds: new Uint8Array(0) }], 3, 99);
    expect(Array.from(batch.inputIds, Number)).toEqual([7, 8, 9, 99, 99, 5]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(Array.from(positionIds(batch), Number)).toEqual([0, 1, 2, 1, 1, 0]);
  });
});

describe('hub repos without sentence-transformers files', () => {
  let root: string;
  /** The fixture as a bare `Qwen3ForCausalLM` folder (no modules.json, LogitScore, ST config or chat template). */
  function bareCopy(name: string, tokenizerTemplate?: string): string {
    const folder = path.join(root, name);
    mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) cpSync(path.join(FIXTURE, file), path.join(folder, file));
    const tokenizerConfig = JSON.parse(readFileSync(path.join(FIXTURE, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify({ ...tokenizerConfig, ...(tokenizerTemplate ? { chat_template: tokenizerTemplate } : {}) }));
    return folder;
  }
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'crossrank-causal-bare-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("renders the official Qwen3-Reranker prompt for a folder named like it, and reads 'yes' / 'no'", async () => {
    const causal = (await detect(bareCopy('Qwen3-Reranker-tiny-ONNX'), {}))!;
    expect(causal.templateSource).toBe('preset:qwen3-reranker');
    expect(causal.scoring).toEqual({ trueTokenId: 10932, falseTokenId: 2362 });
    expect(causal.activationFn).toBeUndefined();
    // The model card's format, written out: prefix, <Instruct>/<Query>/<Document>, suffix with the empty think block.
    const official = (instruction: string, query: string, document: string) =>
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n' +
      `<Instruct>: ${instruction}\n<Query>: ${query}\n<Document>: ${document}` +
      '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';
    const [query, document] = pairs[3]!;
    const ids = Array.from(causal.encoder.encode(query, document, undefined).inputIds);
    expect(ids).toEqual(causal.encoder.tokenize(official('Given a web search query, retrieve relevant passages that answer the query', query, document)));
    const instructed = Array.from(causal.encoder.encode(query, document, reference.instruction).inputIds);
    expect(instructed).toEqual(causal.encoder.tokenize(official(reference.instruction, query, document)));

    const model = await CrossEncoder.load(path.join(root, 'Qwen3-Reranker-tiny-ONNX'), { workers: 0 });
    try {
      expect(model.info.activationSource).toBe('default');
      expect(model.info.activation).toBe('sigmoid');
      expect(model.info.causal?.template).toBe('preset:qwen3-reranker');
      // No instruction is the template's default one, as the model card's code does.
      expect(Array.from(await model.predict(pairs.slice(0, 3)))).toEqual(Array.from(await model.predict(pairs.slice(0, 3), { instruction: 'Given a web search query, retrieve relevant passages that answer the query' })));
    } finally {
      await model.dispose();
    }
  }, SLOW);

  it('reads at most 1024 tokens per pair unless the model declares max_seq_length or the caller sets maxLength', async () => {
    const folder = bareCopy('Qwen3-Reranker-long');
    const tokenizerConfig = JSON.parse(readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify({ ...tokenizerConfig, model_max_length: 131_072 }));
    expect((await detect(folder, {}))!.encoder.maxLength).toBe(1024);
    expect((await detect(folder, { maxLength: 2048 }))!.encoder.maxLength).toBe(2048);
    await expect(detect(folder, { maxLength: 4096 })).rejects.toThrow(/exceeds this model's limit of 2048 tokens/);
    writeFileSync(path.join(folder, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 300 }));
    expect((await detect(folder, {}))!.encoder.maxLength).toBe(300);
  });

  it('loads the ONNX file options.modelFile names, as for any model, and scores as sentence-transformers does', async () => {
    const folder = path.join(root, 'renamed-onnx');
    cpSync(FIXTURE, folder, { recursive: true });
    renameSync(path.join(folder, 'onnx/model.onnx'), path.join(folder, 'onnx/model_O3.onnx'));
    const missing = await CrossEncoder.load(folder, { workers: 0 }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/model\.onnx/);
    const model = await CrossEncoder.load(folder, { workers: 0, threads: 1, modelFile: 'onnx/model_O3.onnx' });
    try {
      expect(model.info.modelFile).toBe('onnx/model_O3.onnx');
      expect(model.info.causal).toBeDefined();
      expect(maxDiff(await model.predict(pairs.slice(0, 2)), reference.batched.slice(0, 2))).toBeLessThan(TOLERANCE);
    } finally {
      await model.dispose();
    }
  }, SLOW);

  it('takes options.preset for any folder name, and refuses a causal LM it cannot prompt', async () => {
    const causal = (await detect(bareCopy('some-reranker'), { preset: 'qwen3-reranker' }))!;
    expect(causal.templateSource).toBe('preset:qwen3-reranker');
    await expect(detect(bareCopy('no-template'), {})).rejects.toThrow(/has no chat template .* Pass options\.preset \(qwen3-reranker, mxbai-rerank-v2, bge-reranker-v2-gemma\)/);
    const chat = "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.role == 'user' %}{{ m.content }}{% endif %}<|im_end|>{% endfor %}";
    const error = await detect(bareCopy('generic-chat', chat), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/does not render the 'query' and 'document' messages of a pair/);
  });
});

describe('causal-LM reranker scores equal sentence-transformers (in-thread)', () => {
  let model: CrossEncoder;
  beforeAll(async () => {
    model = await CrossEncoder.load(FIXTURE, { workers: 0 });
  }, SLOW);
  afterAll(() => model.dispose());

  it('reports what it loaded', () => {
    expect(model.info.causal).toEqual({ trueTokenId: 10932, falseTokenId: 2362, instruction: undefined, prompts: {}, template: path.join(FIXTURE, 'chat_template.jinja') });
    expect(model.info.activation).toBe('sigmoid');
    expect(model.info.activationSource).toBe('config');
    expect(model.info.maxLength).toBe(reference.maxLength);
    // 256 MiB of float32 logits over a 50,270-token vocabulary.
    expect(model.info.maxBatchTokens).toBe(Math.floor((256 * 1024 * 1024) / (4 * 50_270)));
    // Qwen3's 151,669-token vocabulary: 606,676 bytes of logits per token, so 442 tokens per batch (the README's figures).
    expect(causalBatchTokens(151_669)).toBe(442);
  });

  it('scores pairs one at a time, batched, and in batches of 8', async () => {
    const one: number[] = [];
    for (const pair of pairs) one.push((await model.predict([pair]))[0]!);
    expect(maxDiff(one, reference.one)).toBeLessThan(TOLERANCE);
    expect(maxDiff(await model.predict(pairs), reference.batched)).toBeLessThan(TOLERANCE);
    const eight = await CrossEncoder.load(FIXTURE, { workers: 0, batchSize: 8, maxBatchTokens: 4096 });
    try {
      expect(maxDiff(await eight.predict(pairs), reference.batched)).toBeLessThan(TOLERANCE);
    } finally {
      await eight.dispose();
    }
  }, SLOW);

  it('renders an instruction as the system message: per call, as the load default, and by prompt name', async () => {
    const prompted = pairs.slice(0, 40);
    expect(maxDiff(await model.predict(prompted, { instruction: reference.instruction }), reference.prompted)).toBeLessThan(TOLERANCE);
    // The pairs with an instruction score differently: the instruction reaches the model.
    expect(maxDiff(reference.prompted, reference.one.slice(0, 40))).toBeGreaterThan(0.01);

    // The load default and named prompts resolve to the same instruction path: ten pairs keep this quick.
    const some = [...pairs.slice(0, 6), ...pairs.slice(36, 40)];
    const someOne = [...reference.one.slice(0, 6), ...reference.one.slice(36, 40)];
    const somePrompted = [...reference.prompted.slice(0, 6), ...reference.prompted.slice(36, 40)];
    const withDefault = await CrossEncoder.load(FIXTURE, { workers: 0, instruction: reference.instruction });
    try {
      expect(withDefault.info.causal?.instruction).toBe(reference.instruction);
      expect(maxDiff(await withDefault.predict(some), somePrompted)).toBeLessThan(TOLERANCE);
      // An empty instruction renders no system message: the template's own default applies.
      expect(maxDiff(await withDefault.predict(some, { instruction: '' }), someOne)).toBeLessThan(TOLERANCE);
    } finally {
      await withDefault.dispose();
    }

    const folder = mkdtempSync(path.join(os.tmpdir(), 'crossrank-causal-prompts-'));
    try {
      cpSync(FIXTURE, folder, { recursive: true });
      const stConfig = JSON.parse(readFileSync(path.join(folder, 'config_sentence_transformers.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(folder, 'config_sentence_transformers.json'), JSON.stringify({ ...stConfig, prompts: { product: reference.instruction, none: '' }, default_prompt_name: 'product' }));
      const named = await CrossEncoder.load(folder, { workers: 0 });
      try {
        expect(maxDiff(await named.predict(some), somePrompted)).toBeLessThan(TOLERANCE);
        expect(maxDiff(await named.predict(some, { promptName: 'none' }), someOne)).toBeLessThan(TOLERANCE);
        await expect(named.predict(some, { promptName: 'nope' })).rejects.toThrow(/promptName "nope" is not one of this model's prompts \('product', 'none'\)/);
      } finally {
        await named.dispose();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, SLOW);

  it('reranks with the Sigmoid sentence-transformers applies, per query and with an instruction', async () => {
    const byQuery = new Map<string, number[]>();
    pairs.forEach(([q], i) => byQuery.set(q, [...(byQuery.get(q) ?? []), i]));
    const scores = new Array<number>(pairs.length);
    for (const [query, members] of byQuery) {
      const results = await model.rerank(query, members.map((i) => pairs[i]![1]));
      expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
      for (const result of results) scores[members[result.index]!] = result.score;
    }
    expect(maxDiff(scores, reference.one.map(sigmoid))).toBeLessThan(TOLERANCE);
    expect(maxDiff(scores.slice(0, 8), reference.defaultActivation)).toBeLessThan(TOLERANCE);

    const query = pairs[0]![0];
    const members = pairs.flatMap(([q], i) => (q === query && i < 40 ? [i] : []));
    const prompted = await model.rerank(query, members.map((i) => pairs[i]![1]), { instruction: reference.instruction, topN: 2 });
    expect(prompted).toHaveLength(2);
    for (const result of prompted) expect(Math.abs(result.score - sigmoid(reference.prompted[members[result.index]!]!))).toBeLessThan(TOLERANCE);
  }, SLOW);

  it('rejects bad instructions, presets and split long documents with typed errors', async () => {
    await expect(model.predict(pairs.slice(0, 1), { instruction: 3 as unknown as string })).rejects.toThrow(InvalidInputError);
    await expect(model.rerank('q', ['d'], { promptName: 'x' })).rejects.toThrow(/it has none/);
    await expect(CrossEncoder.load(FIXTURE, { workers: 0, preset: 'nope' as never })).rejects.toThrow(/options.preset must be one of 'qwen3-reranker'/);
    await expect(CrossEncoder.load(FIXTURE, { workers: 0, longDocuments: 'split' })).rejects.toThrow(/not supported for causal-LM rerankers/);
  });
});
