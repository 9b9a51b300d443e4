// The engine's heavy dependencies, loaded on the first `CrossEncoder.load` rather than when the
// package is imported: onnxruntime-node takes ~55 ms to import and @huggingface/tokenizers ~20 ms,
// which an app pays at startup even if it never reranks.
type OnnxRuntime = typeof import('onnxruntime-node');
type Tokenizers = typeof import('@huggingface/tokenizers');

// Set by tsup per output format; undefined when the source runs as is (ts-jest).
declare const __CROSSRANK_BUILD_FORMAT__: string | undefined;
const isCommonJsBuild = typeof __CROSSRANK_BUILD_FORMAT__ !== 'undefined' && __CROSSRANK_BUILD_FORMAT__ === 'cjs';

let onnxRuntime: Promise<OnnxRuntime> | undefined;
let tokenizers: Promise<Tokenizers> | undefined;

/**
 * The CommonJS build requires (so a CommonJS app shares one copy with its own `require`), the ESM
 * build imports; both name the package literally, so bundlers and file tracers see it.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  onnxRuntime ??= isCommonJsBuild ? Promise.resolve(require('onnxruntime-node') as OnnxRuntime) : import('onnxruntime-node');
  return onnxRuntime;
}

export function loadTokenizers(): Promise<Tokenizers> {
  tokenizers ??= isCommonJsBuild ? Promise.resolve(require('@huggingface/tokenizers') as Tokenizers) : import('@huggingface/tokenizers');
  return tokenizers;
}

type Jinja = typeof import('@huggingface/jinja');
let jinja: Promise<Jinja> | undefined;

/** The chat-template engine: needed only once a causal-LM reranker is loaded. */
export function loadJinja(): Promise<Jinja> {
  jinja ??= isCommonJsBuild ? Promise.resolve(require('@huggingface/jinja') as Jinja) : import('@huggingface/jinja');
  return jinja;
}
