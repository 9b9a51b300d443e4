import type { LogitScoring } from '../causal/causal-session.js';
import type { EncodedPair } from '../pair-encoder.js';

/**
 * A slice of one call to encode, as plain data that can cross to the encoder thread. Each request
 * stands alone (no state is kept between them), so a request never depends on which thread ran the last.
 * `documents`: the query with each document (or each window's text); `pairs`: `predict`'s pairs.
 */
export type EncodeRequest =
  | { kind: 'documents'; query: string; documents: readonly string[]; instruction?: string | undefined }
  | { kind: 'pairs'; pairs: ReadonlyArray<readonly [string, string]>; instruction?: string | undefined };

/** `longDocuments: 'split'`: every window of every document, by owner and character span. */
export interface WindowPlan {
  owners: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

/** What the model's tokenizer side tells `CrossEncoder` (plain data; computed where the tokenizer lives). */
export type EncoderInfo = ClassifierEncoderInfo | CausalEncoderInfo;

export interface ClassifierEncoderInfo {
  kind: 'classifier';
  maxLength: number;
  /** Special tokens a pair's template adds ([CLS], [SEP] ...). */
  specialCount: number;
  padId: number;
  /** The model's config.json. */
  config: Record<string, unknown>;
}

export interface CausalEncoderInfo {
  kind: 'causal';
  maxLength: number;
  padId: number;
  config: Record<string, unknown>;
  scoring: LogitScoring;
  prompts: Record<string, string>;
  defaultInstruction: string | undefined;
  activationFn: string | undefined;
  templateSource: string;
  vocabSize: number | undefined;
}

/** Encoded pairs as three transferable arrays: one message, no per-pair objects to clone. */
export interface EncodedWire {
  ids: Int32Array;
  /** Empty when no pair has token types (causal-LM rerankers). */
  types: Uint8Array;
  lengths: Int32Array;
}

export function toWire(pairs: readonly EncodedPair[]): EncodedWire {
  let total = 0;
  let typed = false;
  for (const pair of pairs) {
    total += pair.inputIds.length;
    typed ||= pair.tokenTypeIds.length > 0;
  }
  const ids = new Int32Array(total);
  const types = new Uint8Array(typed ? total : 0);
  const lengths = new Int32Array(pairs.length);
  let at = 0;
  pairs.forEach((pair, i) => {
    ids.set(pair.inputIds, at);
    if (typed) types.set(pair.tokenTypeIds, at);
    lengths[i] = pair.inputIds.length;
    at += pair.inputIds.length;
  });
  return { ids, types, lengths };
}

/** Views into the wire's arrays (no copy). */
export function fromWire(wire: EncodedWire): EncodedPair[] {
  const pairs: EncodedPair[] = new Array<EncodedPair>(wire.lengths.length);
  let at = 0;
  for (let i = 0; i < wire.lengths.length; i++) {
    const end = at + wire.lengths[i]!;
    pairs[i] = { inputIds: wire.ids.subarray(at, end), tokenTypeIds: wire.types.length > 0 ? wire.types.subarray(at, end) : wire.types };
    at = end;
  }
  return pairs;
}

export function wireBuffers(wire: EncodedWire): ArrayBuffer[] {
  return [wire.ids.buffer as ArrayBuffer, wire.types.buffer as ArrayBuffer, wire.lengths.buffer as ArrayBuffer];
}
