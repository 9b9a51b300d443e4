/** A small knowledge base: more passages than the retriever returns, several on the same topic. */
export const CORPUS: readonly { title: string; text: string }[] = [
  { title: 'cross-encoders', text: 'A cross-encoder reads the question and a passage together and outputs one relevance score, which makes it more accurate than comparing two separate embeddings.' },
  { title: 'rerankers', text: 'A reranker reorders the passages a retriever returned so that the most relevant ones come first and only the best few reach the language model.' },
  { title: 'bi-encoders', text: 'A bi-encoder embeds questions and passages separately, so every passage can be embedded once and searched quickly.' },
  { title: 'vector search', text: 'Vector search returns the passages whose embeddings are closest to the embedding of the question.' },
  { title: 'onnx runtime', text: 'ONNX Runtime runs transformer models on the CPU from Node.js, without Python or a GPU.' },
  { title: 'ms marco', text: 'MS MARCO is a passage ranking dataset built from real Bing questions; ms-marco-MiniLM-L-6-v2 is a small cross-encoder trained on it.' },
  { title: 'rag', text: 'Retrieval-augmented generation answers a question from passages retrieved for it instead of from the model weights alone.' },
  { title: 'query engines', text: 'A LlamaIndex query engine retrieves nodes, runs its node postprocessors over them and then synthesizes an answer.' },
  { title: 'node postprocessors', text: 'Node postprocessors filter, reorder or rewrite retrieved nodes before the response synthesizer sees them.' },
  { title: 'similarity top k', text: 'similarityTopK sets how many nodes the vector retriever returns for each question.' },
  { title: 'chunking', text: 'Long documents are split into chunks of a few hundred tokens before they are embedded and indexed.' },
  { title: 'bm25', text: 'BM25 scores passages by how often the question words appear in them, weighted by how rare each word is.' },
  { title: 'chat engines', text: 'A chat engine keeps the conversation history and adds freshly retrieved context to every turn.' },
  { title: 'quantization', text: 'Quantized models store weights in eight bits: smaller files and faster inference for a little accuracy.' },
  { title: 'tokenizers', text: 'A tokenizer splits text into word pieces; a cross-encoder sees at most 512 of them per question and passage pair.' },
  { title: 'latency', text: 'Reranking twenty short passages with a MiniLM cross-encoder takes tens of milliseconds on a laptop CPU.' },
  { title: 'ranking metrics', text: 'MRR and nDCG measure how high the relevant passages are ranked.' },
  { title: 'embeddings', text: 'An embedding model maps a text to a vector so that similar texts get nearby vectors.' },
  { title: 'prompt size', text: 'Sending three reranked passages instead of twenty keeps the prompt short, cheap and focused.' },
  { title: 'llamaindex', text: 'LlamaIndex.TS is a TypeScript framework for building retrieval-augmented applications.' },
  { title: 'bananas', text: 'Bananas are rich in potassium and grow in tropical climates.' },
  { title: 'eiffel tower', text: 'The Eiffel Tower in Paris was finished in 1889.' },
  { title: 'sourdough', text: 'Sourdough bread rises with wild yeast and lactic acid bacteria.' },
  { title: 'everest', text: 'Mount Everest is the highest mountain above sea level.' },
];

export const DEFAULT_QUESTION = 'Why rerank retrieved passages with a cross-encoder before answering?';
