// The seed models the README lists, and the architecture shape each one has. No weights can be
// downloaded here, so each shape is generated with seeded random weights: per-token compute, and so
// speed, depends on the shape (layers, widths), not on the weights' values.

export interface Shape {
  /** Folder name under the model cache, and the key results are stored under. */
  id: string;
  label: string;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  /** Which sequence classifier `@crossrank/testing` generates (default 'bert'). */
  architecture?: 'bert' | 'electra' | 'xlm-roberta';
  /** Default timed queries (after 1 warm-up); the larger shapes get fewer to fit the time budget. */
  queries: number;
}

export interface SeedModel {
  id: string;
  architecture: string;
  /** Key into SHAPES; undefined for hosted models (no local speed). */
  shape?: string;
  /** What the generated stand-in does not reproduce, for the table's notes. */
  note?: string;
  /** Published quality, only where the source is certain (sentence-transformers' MS MARCO cross-encoder docs). */
  published?: { trecDl19Ndcg10: number; msmarcoDevMrr10: number; source: string };
}

const SBERT_MSMARCO = 'sentence-transformers docs, MS MARCO cross-encoders (sbert.net)';

export const SHAPES: readonly Shape[] = [
  { id: 'seed-l6-h384', label: '6 layers, hidden 384, 12 heads, FFN 1536', layers: 6, hidden: 384, heads: 12, intermediate: 1536, queries: 10 },
  { id: 'seed-l12-h768', label: '12 layers, hidden 768, 12 heads, FFN 3072', layers: 12, hidden: 768, heads: 12, intermediate: 3072, queries: 10 },
  { id: 'seed-l24-h1024', label: '24 layers, hidden 1024, 16 heads, FFN 4096', layers: 24, hidden: 1024, heads: 16, intermediate: 4096, queries: 5 },
  // The real architectures (ELECTRA's head; XLM-R's embeddings, no token types, SentencePiece tokenizer).
  { id: 'seed-electra-l12-h768', label: 'ELECTRA, 12 layers, hidden 768, 12 heads, FFN 3072', layers: 12, hidden: 768, heads: 12, intermediate: 3072, architecture: 'electra', queries: 10 },
  { id: 'seed-xlmr-l12-h768', label: 'XLM-R, 12 layers, hidden 768, 12 heads, FFN 3072', layers: 12, hidden: 768, heads: 12, intermediate: 3072, architecture: 'xlm-roberta', queries: 10 },
  { id: 'seed-xlmr-l24-h1024', label: 'XLM-R, 24 layers, hidden 1024, 16 heads, FFN 4096', layers: 24, hidden: 1024, heads: 16, intermediate: 4096, architecture: 'xlm-roberta', queries: 5 },
];

export const SEED_MODELS: readonly SeedModel[] = [
  {
    id: 'cross-encoder/ms-marco-MiniLM-L-6-v2',
    architecture: 'BERT (MiniLM)',
    shape: 'seed-l6-h384',
    published: { trecDl19Ndcg10: 74.3, msmarcoDevMrr10: 39.01, source: SBERT_MSMARCO },
  },
  {
    id: 'cross-encoder/ms-marco-electra-base',
    architecture: 'ELECTRA-base discriminator',
    shape: 'seed-electra-l12-h768',
    published: { trecDl19Ndcg10: 71.99, msmarcoDevMrr10: 36.41, source: SBERT_MSMARCO },
  },
  {
    id: 'BAAI/bge-reranker-base',
    architecture: 'XLM-RoBERTa base',
    shape: 'seed-xlmr-l12-h768',
    note: 'real vocab 250,002 (SentencePiece): larger embedding table and file, same per-token compute',
  },
  {
    id: 'BAAI/bge-reranker-large',
    architecture: 'XLM-RoBERTa large',
    shape: 'seed-xlmr-l24-h1024',
    note: 'real vocab 250,002 (SentencePiece): larger embedding table and file, same per-token compute',
  },
  { id: 'Cohere rerank-v3.5', architecture: 'hosted API', note: 'hosted: no local speed' },
];

export function shapeById(id: string): Shape {
  const shape = SHAPES.find((s) => s.id === id);
  if (!shape) throw new Error(`Unknown shape ${JSON.stringify(id)}; known: ${SHAPES.map((s) => s.id).join(', ')}.`);
  return shape;
}
