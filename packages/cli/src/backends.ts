import {
  type ApiReranker,
  CohereReranker,
  HuggingFaceReranker,
  JinaReranker,
  LlamaCppReranker,
  MixedbreadReranker,
  TeiReranker,
  VoyageReranker,
} from '@crossrank/api';
import { InvalidInputError } from '@crossrank/core';
import { CrossEncoder, type LoadProgress } from '@crossrank/onnx';
import type { EvalArgs } from './args.js';
import { DEFAULT_MODEL } from './default-model.js';
import { apiKeyFromEnv, cliMissingKeyError } from './api-key.js';
import { UsageError } from './errors.js';
import { renderDownload } from './progress.js';
import type { CliIO, LoadedReranker, RerankerFactory } from './eval-command.js';

/**
 * Builds the reranker `--backend` names. API keys come from each backend's environment variables
 * (COHERE_API_KEY, JINA_API_KEY, VOYAGE_API_KEY, MXBAI_API_KEY, TEI_API_KEY, LLAMA_API_KEY, HF_TOKEN).
 */
export const createReranker: RerankerFactory = async (args, io) => {
  try {
    return await build(args, io);
  } catch (error) {
    // The options came from the command line, so a rejected option is a usage error (exit 2).
    if (error instanceof InvalidInputError) throw new UsageError(error.message, { cause: error });
    throw cliMissingKeyError(error, args.backend) ?? error;
  }
};

async function build(args: EvalArgs, io: CliIO): Promise<LoadedReranker> {
  const api = { model: args.apiModel, baseUrl: args.baseUrl, ...apiKeyFromEnv(args) };
  switch (args.backend) {
    case 'local': {
      const model = args.model ?? DEFAULT_MODEL;
      const status = io.stderr.isTTY && !args.json ? loadStatus(io) : undefined;
      let encoder: CrossEncoder;
      try {
        encoder = await CrossEncoder.load(model, {
          dtype: args.dtype,
          threads: args.threads,
          batchSize: args.batchSize,
          maxLength: args.maxLength,
          cacheDir: args.cacheDir,
          localFilesOnly: args.localFilesOnly || undefined,
          onProgress: status?.update,
        });
      } finally {
        status?.finish();
      }
      return {
        reranker: encoder,
        label: `local ${model} (${encoder.info.dtype})`,
        dispose: () => encoder.dispose(),
        ...(isGeneratedModel(encoder.info.config) ? { note: GENERATED_MODEL_NOTE } : {}),
      };
    }
    case 'cohere':
      return apiBackend(new CohereReranker(api));
    case 'jina':
      return apiBackend(new JinaReranker(api));
    case 'voyage':
      return apiBackend(new VoyageReranker(api));
    case 'mixedbread':
      return apiBackend(new MixedbreadReranker(api));
    case 'tei':
      return apiBackend(new TeiReranker({ baseUrl: args.baseUrl!, ...apiKeyFromEnv(args) }));
    case 'vllm':
      // vLLM serves the Jina shape at /v1/rerank (and Cohere's at /v2/rerank): plain fetch, no SDK.
      return apiBackend(new JinaReranker({ baseUrl: args.baseUrl!, ...(args.apiModel ? { model: args.apiModel } : {}), ...apiKeyFromEnv(args) }));
    case 'infinity':
      // Infinity: /rerank (without --url-prefix), at most 2,048 documents a request.
      return apiBackend(new JinaReranker({ baseUrl: args.baseUrl!, path: '/rerank', batchSize: 2048, ...(args.apiModel ? { model: args.apiModel } : {}), ...apiKeyFromEnv(args) }));
    case 'llama-cpp':
      return apiBackend(new LlamaCppReranker({ baseUrl: args.baseUrl!, model: args.apiModel, ...apiKeyFromEnv(args) }));
    case 'huggingface':
      return apiBackend(new HuggingFaceReranker({ ...(args.baseUrl === undefined ? { model: args.apiModel } : { endpointUrl: args.baseUrl }), ...apiKeyFromEnv(args) }));
    case 'none':
      throw new Error('--backend none has no reranker; the command does not call the factory for it.');
  }
}

export const GENERATED_MODEL_NOTE =
  'this is a generated test model (random weights): its scores mean nothing, so neither do the "after" metrics; the run only shows the pipeline works.';

/**
 * `@crossrank/testing` marks the config.json of every model it generates with this key. Read
 * here rather than imported: the CLI does not load the test-model generator (and its dependencies).
 */
function isGeneratedModel(config: Readonly<Record<string, unknown>>): boolean {
  const marker = config['crossrank_test_model'];
  return typeof marker === 'object' && marker !== null;
}

function apiBackend(reranker: ApiReranker): LoadedReranker {
  const { provider, model, baseUrl } = reranker;
  return { reranker, label: `${provider}${model ? ` ${model}` : ''} at ${baseUrl}` };
}

/**
 * One self-overwriting stderr line while a hub model downloads: a bar per file, as the engine
 * reports its bytes. A cached model or a local folder reports nothing, so nothing is drawn.
 */
function loadStatus(io: CliIO) {
  const width = Math.max(20, (io.stderr.columns || 80) - 1);
  let shown = false;
  return {
    update: (progress: LoadProgress) => {
      if (progress.status !== 'progress' || progress.loaded === undefined) return;
      shown = true;
      const line = renderDownload(progress.file ?? 'model', progress.loaded, progress.total, width + 1);
      io.stderr.write(`\r${line.padEnd(width)}`);
    },
    finish: () => {
      if (shown) io.stderr.write(`\r${' '.repeat(width)}\r`);
    },
  };
}
