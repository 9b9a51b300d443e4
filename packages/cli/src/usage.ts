export const MAIN_USAGE = `Usage: crossrank <command> [options]

Commands:
  eval     Measure a reranker on judged data (nDCG@10, MRR@10, Recall@k before and after reranking)

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
  --backend <name>      local (default), cohere, jina, voyage, mixedbread, tei, or none (score the run as is)
  --model <id|folder>   Local cross-encoder: Hugging Face model id or folder (default: %DEFAULT_MODEL%)
  --dtype <type>        Local weights: fp32 (default), fp16, q8, int8, uint8, q4, q4f16, bnb4
  --threads <n>         Local: ONNX Runtime threads
  --batch-size <n>      Local: pairs per forward pass
  --max-length <n>      Local: tokens per query-passage pair
  --cache-dir <dir>     Local: Hugging Face hub cache (default: $CROSSRANK_CACHE_DIR/hub, else $HF_HUB_CACHE, else ~/.cache/huggingface/hub)
  --local-files-only    Local: never download
  --api-model <name>    API backends: the provider's model name (default: the backend's default)
  --base-url <url>      API backends: endpoint (required for tei)
                        API keys come from the environment (COHERE_API_KEY, JINA_API_KEY, ...)

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
