export const MAIN_USAGE = `Usage: crossrank <command> [options]

Commands:
  eval     Measure a reranker on judged data (nDCG@10, MRR@10, Recall@k before and after reranking)
  serve    Serve a local cross-encoder over HTTP in the Cohere, Jina/vLLM and TEI rerank formats

Options:
  -h, --help     Show help (crossrank <command> --help for a command's options)
  -v, --version  Show the version
`;

export const EVAL_USAGE = `Usage: crossrank eval --candidates <file> --qrels <file> [options]

Reranks the top --depth first-stage candidates of every judged query and prints nDCG@10, MRR@10
and Recall@k before and after, plus reranking throughput (queries per second, rerank time only).

Inputs:
  --candidates <file>   JSON [{ query, hits: [{ qid, docid, content, rank, score }] }],
                        or a TREC run (qid Q0 docid rank score tag) with --corpus and --queries
  --corpus <file>       Passage texts for a TREC run: docid<TAB>text, or JSONL {docid|_id|id, text|contents|content}
  --queries <file>      Query texts for a TREC run: qid<TAB>text, or JSONL {qid|_id|id, text|query}
  --qrels <file>        Judgments: TREC qrels (qid 0 docid grade)

Reranker:
  --backend <name>      local (default), cohere, jina, voyage, mixedbread, tei, vllm, infinity, llama-cpp,
                        huggingface, or none (score the run as is)
  --model <id|folder>   Local cross-encoder: Hugging Face model id or folder (default: %DEFAULT_MODEL%)
  --dtype <type>        Local weights: fp32 (default), fp16, q8, int8, uint8, q4, q4f16, bnb4
  --threads <n>         Local: ONNX Runtime threads
  --batch-size <n>      Local: pairs per forward pass
  --max-length <n>      Local: tokens per query-passage pair
  --cache-dir <dir>     Local: Hugging Face hub cache (default: $CROSSRANK_CACHE_DIR/hub, else $HF_HUB_CACHE, else ~/.cache/huggingface/hub)
  --local-files-only    Local: never download
  --api-model <name>    API backends: the provider's model name (default: the backend's default)
  --base-url <url>      API backends: endpoint (required for tei, vllm, infinity, llama-cpp; huggingface: a dedicated endpoint)
  --api-key-env <name>  API backends: the environment variable holding the key (default: the backend's
                        own, COHERE_API_KEY, JINA_API_KEY, VOYAGE_API_KEY, MXBAI_API_KEY, TEI_API_KEY,
                        LLAMA_API_KEY, HF_TOKEN)

Evaluation:
  --depth <n>           Rerank this many candidates per query; the rest keep first-stage order (default 100)
  --k <list>            Recall cutoffs, comma-separated (default 10,100)
  --rel-level <n>       Lowest grade that counts as relevant for MRR and Recall (default 2, as TREC DL)
  --limit <n>           Evaluate only the first n judged queries
  --json                Print one JSON object to stdout (no progress bar)
  -h, --help            Show this help

Metrics follow trec_eval: nDCG@10 uses linear gains and an ideal ranking built from every judged
document; means are over queries that have both candidates and judgments.
Exit codes: 0 ok, 1 failure, 2 bad arguments.
`;

export const SERVE_USAGE = `Usage: crossrank serve --model <folder|hub id> [options]

Serves one local cross-encoder over HTTP, in three wire formats at once so existing clients work:
  POST /v2/rerank   Cohere v2 (cohere-ai, CohereReranker)
  POST /v1/rerank   Jina / vLLM (JinaReranker)
  POST /rerank      text-embeddings-inference (TeiReranker)
  GET  /health      200 while the process is up
  GET  /ready       200 once the model is loaded (503 before)
  GET  /metrics     Prometheus text: requests, latency, queue depth, documents scored

Options:
  --model <id|folder>       Cross-encoder: Hugging Face model id or folder (required)
  --dtype <type>            Weights: fp32 (default), fp16, q8, int8, uint8, q4, q4f16, bnb4
  --port <n>                Port (default 8080; 0 picks a free one, printed in the "listening" line)
  --host <addr>             Address to bind (default 127.0.0.1; 0.0.0.0 in a container)
  --api-key-env <NAME>      Require "Authorization: Bearer <key>", the key read from $NAME
  --max-queue <n>           Requests that may wait for the model; more get 429 + Retry-After (default 32)
  --concurrency <n>         Requests scored at once (default 2)
  --max-documents <n>       Documents per request (default 1000; 400 beyond)
  --max-document-chars <n>  Characters per document or query (default 20000; 400 beyond)
  --max-body-bytes <n>      Request body size (default 2097152; 413 beyond)
  --threads <n>             ONNX Runtime threads
  --cache-dir <dir>         Model download cache
  --local-files-only        Never download
  -h, --help                Show this help

Logs one JSON line per request on stdout (no document text, no key). SIGTERM or SIGINT: stops
accepting, finishes the requests under way, exits 0.
`;
