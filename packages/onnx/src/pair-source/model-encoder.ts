import path from 'node:path';
import { CausalPairEncoder } from '../causal/causal-pair-encoder.js';
import { detectCausalReranker, type CausalLoadOptions } from '../causal/causal-reranker.js';
import { InvalidInputError } from '../errors.js';
import { HfTextTokenizer } from '../hf-tokenizer.js';
import { planWindows } from '../long-documents.js';
import { loadTokenizer, type ModelLocation } from '../model-loader.js';
import { readConfigJson } from '../model-source.js';
import { resolvePadId } from '../pad-id.js';
import { PairEncoder, type EncodedPair, type TextTokens } from '../pair-encoder.js';
import type { EncodeRequest, EncoderInfo, WindowPlan } from './encode-request.js';

/** The load options the tokenizer side reads; plain data, so they can cross to the encoder thread. */
export interface EncoderOptions extends CausalLoadOptions {
  /** `longDocuments: 'split'` window and stride, in document tokens (derived per query when absent). */
  window?: number;
  stride?: number;
}

/** Distinct texts a `pairs` request remembers the tokens of (queries repeat across pairs). */
const MEMO_LIMIT = 2048;

/** One request being encoded: `count` items, encoded range by range (so the caller can yield between ranges). */
export interface RequestEncoder {
  readonly count: number;
  encode(start: number, end: number): EncodedPair[];
}

/**
 * A model's tokenizer side: the tokenizer, the pair template (or a causal reranker's chat template)
 * and the rules that turn (query, document) pairs into token ids. The same code runs in the
 * calling thread (`workers: 0`) and in the encoder thread; only `EncoderInfo` and ids leave it.
 */
export class ModelEncoder {
  readonly info: EncoderInfo;
  private readonly encoder: PairEncoder | CausalPairEncoder;
  private readonly window: number | undefined;
  private readonly stride: number | undefined;

  private constructor(info: EncoderInfo, encoder: PairEncoder | CausalPairEncoder, options: EncoderOptions) {
    this.info = info;
    this.encoder = encoder;
    this.window = options.window;
    this.stride = options.stride;
  }

  /** Reads the tokenizer files `locateModel` found (a causal-LM reranker's chat template too). */
  static async open(location: ModelLocation, options: EncoderOptions): Promise<ModelEncoder> {
    const causal = await detectCausalReranker(location, options);
    if (causal) {
      const info: EncoderInfo = {
        kind: 'causal',
        maxLength: causal.encoder.maxLength,
        padId: causal.padId,
        config: causal.config,
        scoring: causal.scoring,
        prompts: { ...causal.prompts },
        defaultInstruction: causal.defaultInstruction,
        activationFn: causal.activationFn,
        templateSource: causal.templateSource,
        vocabSize: causal.vocabSize,
      };
      return new ModelEncoder(info, causal.encoder, options);
    }
    const config = readConfigJson(path.join(location.folder, 'config.json'));
    const hfTokenizer = await loadTokenizer(location);
    const tokenizer = new HfTextTokenizer(hfTokenizer);
    const template = tokenizer.pairTemplate();
    const maxLength = resolveMaxLength(options.maxLength, tokenizer.modelMaxLength(), config, template.specialCount);
    const info: EncoderInfo = { kind: 'classifier', maxLength, specialCount: template.specialCount, padId: resolvePadId(hfTokenizer, config), config };
    return new ModelEncoder(info, new PairEncoder(tokenizer, template, maxLength), options);
  }

  /** The encoder of one request; its items are encoded in input order by `encode(start, end)`. */
  begin(request: EncodeRequest): RequestEncoder {
    const encoder = this.encoder;
    if (encoder instanceof CausalPairEncoder) {
      const { instruction } = request;
      return request.kind === 'documents'
        ? { count: request.documents.length, encode: (s, e) => request.documents.slice(s, e).map((d) => encoder.encode(request.query, d, instruction)) }
        : { count: request.pairs.length, encode: (s, e) => request.pairs.slice(s, e).map(([q, d]) => encoder.encode(q, d, instruction)) };
    }
    if (request.kind === 'documents') {
      let query: TextTokens | undefined;
      return {
        count: request.documents.length,
        encode: (s, e) => {
          query ??= encoder.tokenize(request.query);
          return request.documents.slice(s, e).map((d) => encoder.encodeTokens(query!, encoder.tokenize(d)));
        },
      };
    }
    // Queries usually repeat across pairs: tokenize each distinct text once (bounded).
    const memo = new Map<string, TextTokens>();
    const tokens = (text: string): TextTokens => {
      let ids = memo.get(text);
      if (!ids) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(text, (ids = encoder.tokenize(text)));
      }
      return ids;
    };
    return { count: request.pairs.length, encode: (s, e) => request.pairs.slice(s, e).map(([q, d]) => encoder.encodeTokens(tokens(q), tokens(d))) };
  }

  /**
   * `longDocuments: 'split'`: the windows of every document (the query in each), `window` document
   * tokens wide and `stride` apart (by default as wide as the query leaves room for, and half that apart).
   */
  planWindows(query: string, documents: readonly string[]): WindowPlan {
    const encoder = this.encoder;
    if (!(encoder instanceof PairEncoder)) throw new InvalidInputError("longDocuments 'split' is not supported for causal-LM rerankers.");
    const queryTokens = encoder.tokenize(query);
    const budget = encoder.maxLength - encoder.template.specialCount;
    // longest_first cuts the longer side first, so a long query never leaves less than half.
    const window = this.window ?? Math.max(budget - queryTokens.length, Math.floor(budget / 2), 1);
    const stride = this.stride ?? Math.max(1, Math.floor(window / 2));
    const wordTokens = new Map<string, number>();
    const countTokens = (word: string): number => {
      let n = wordTokens.get(word);
      if (n === undefined) {
        if (wordTokens.size > 100_000) wordTokens.clear();
        wordTokens.set(word, (n = encoder.tokenize(word).length));
      }
      return n;
    };
    const owners: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    documents.forEach((document, index) => {
      for (const span of planWindows(document, countTokens, window, stride)) {
        owners.push(index);
        starts.push(span.start);
        ends.push(span.end);
      }
    });
    return { owners: Int32Array.from(owners), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
  }
}

function resolveMaxLength(requested: number | undefined, tokenizerMax: number | undefined, config: Record<string, unknown>, specialCount: number): number {
  const positions = typeof config['max_position_embeddings'] === 'number' ? (config['max_position_embeddings'] as number) : undefined;
  // RoBERTa-family models reserve two position ids (padding offset).
  const offset = ['roberta', 'xlm-roberta', 'camembert'].includes(String(config['model_type'])) ? 2 : 0;
  const modelMax = positions !== undefined ? positions - offset : undefined;
  const limit = Math.min(tokenizerMax ?? modelMax ?? 512, modelMax ?? Infinity);
  if (requested === undefined) return limit;
  if (requested > limit) {
    throw new InvalidInputError(`options.maxLength ${requested} exceeds this model's limit of ${limit} tokens.`);
  }
  if (requested < specialCount) {
    throw new InvalidInputError(`options.maxLength ${requested} leaves no room for text: a pair needs ${specialCount} special tokens.`);
  }
  return requested;
}
