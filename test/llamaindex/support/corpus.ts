/**
 * A small corpus with many near-topic passages, so that vector retrieval returns more candidates
 * (similarityTopK 20) than the reranker keeps (3).
 */
export const CORPUS: readonly string[] = [
  'A cross-encoder reads the query and a passage together and outputs one relevance score.',
  'Rerankers reorder the passages a retriever returned, putting the most relevant first.',
  'A bi-encoder embeds queries and passages separately, so passages can be indexed ahead of time.',
  'Vector search retrieves passages whose embeddings are close to the query embedding.',
  'ONNX Runtime runs transformer models on the CPU without Python.',
  'MS MARCO is a passage ranking dataset built from real search queries.',
  'Retrieval-augmented generation answers questions from retrieved passages.',
  'A query engine retrieves nodes, postprocesses them and synthesizes an answer.',
  'Node postprocessors filter or reorder retrieved nodes before synthesis.',
  'Similarity top k sets how many nodes the retriever returns.',
  'Chunking splits long documents into passages before they are embedded.',
  'BM25 ranks passages by term frequency and inverse document frequency.',
  'A chat engine keeps the conversation history and adds retrieved context to each turn.',
  'Quantized models trade a little accuracy for smaller files and faster inference.',
  'Tokenizers split text into word pieces before a transformer reads it.',
  'The relevance score of a cross-encoder is a logit squashed into zero to one.',
  'Passage ranking metrics include MRR and nDCG.',
  'Embedding models map text to vectors for similarity search.',
  'Reranking the top twenty retrieved passages down to three keeps the prompt short.',
  'LlamaIndex is a framework for building retrieval-augmented applications.',
  'Bananas are rich in potassium and grow in tropical climates.',
  'The Eiffel Tower is in Paris and was finished in 1889.',
  'Sourdough bread rises with wild yeast and lactic acid bacteria.',
  'Mount Everest is the highest mountain above sea level.',
];

export const QUERY = 'which model scores a query and a passage together to rerank retrieved passages?';
