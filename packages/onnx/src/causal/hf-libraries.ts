// Set by tsup per output format; undefined when the source runs as is (ts-jest).
declare const __CROSSRANK_BUILD_FORMAT__: string | undefined;

type Tokenizers = typeof import('@huggingface/tokenizers');
type Jinja = typeof import('@huggingface/jinja');

let tokenizers: Promise<Tokenizers> | undefined;
let jinja: Promise<Jinja> | undefined;

/**
 * `@huggingface/tokenizers` and `@huggingface/jinja` are needed only once a causal-LM reranker is
 * loaded, so they are imported then, not when this package is imported (together about 50-70 ms).
 * The CommonJS build requires them (as model-loader.ts does transformers.js): a dynamic `import()`
 * fails inside VM contexts such as jest's.
 */
export function importTokenizers(): Promise<Tokenizers> {
  tokenizers ??=
    typeof __CROSSRANK_BUILD_FORMAT__ !== 'undefined' && __CROSSRANK_BUILD_FORMAT__ === 'cjs'
      ? Promise.resolve(require('@huggingface/tokenizers') as Tokenizers)
      : import('@huggingface/tokenizers');
  return tokenizers;
}

export function importJinja(): Promise<Jinja> {
  jinja ??=
    typeof __CROSSRANK_BUILD_FORMAT__ !== 'undefined' && __CROSSRANK_BUILD_FORMAT__ === 'cjs'
      ? Promise.resolve(require('@huggingface/jinja') as Jinja)
      : import('@huggingface/jinja');
  return jinja;
}
