import os from 'node:os';
import path from 'node:path';
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env as transformersEnv,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { CrossrankError, ModelFormatError, ModelNotFoundError, TokenizerNotFoundError } from './errors.js';
import { checkLocalFolder, modelFileName, resolveModelSource, type ModelSource } from './model-source.js';
import type { CrossEncoderDtype, CrossEncoderLoadOptions } from './options.js';

export interface LoadedModel {
  source: ModelSource;
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  config: Record<string, unknown>;
}

/** Loads tokenizer and ONNX weights through `@huggingface/transformers` (hub download + cache, or a folder). */
export async function loadModel(model: string, options: CrossEncoderLoadOptions, dtype: CrossEncoderDtype): Promise<LoadedModel> {
  const source = resolveModelSource(model);
  if (source.kind === 'local') checkLocalFolder(source.folder, dtype);
  const location = source.kind === 'local' ? source.folder : source.id;
  const hubOptions = {
    local_files_only: source.kind === 'local' || options.localFilesOnly === true,
    ...(options.cacheDir !== undefined ? { cache_dir: options.cacheDir } : {}),
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(options.onProgress ? { progress_callback: options.onProgress as (p: unknown) => void } : {}),
  };

  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(location, hubOptions);
  } catch (error) {
    throw loadError(source, options, error, 'tokenizer.json');
  }

  let loaded: PreTrainedModel;
  try {
    loaded = await AutoModelForSequenceClassification.from_pretrained(location, {
      ...hubOptions,
      dtype,
      device: 'cpu',
      session_options: sessionOptions(options),
    });
  } catch (error) {
    throw loadError(source, options, error, `onnx/${modelFileName(dtype)}`);
  }
  const config = { ...(loaded as unknown as { config: Record<string, unknown> }).config };
  return { source, tokenizer, model: loaded, config };
}

/**
 * One intra-op thread per core. Idle threads block instead of spinning: a spinning thread holds its
 * core between operators, and on a machine shared with other processes (or other sessions) each of
 * the ~100 operator barriers per forward pass then waits for a thread the scheduler put aside; in
 * `pnpm bench` runs on a shared 2-core machine this made CrossEncoder 1.5x faster, at no cost we
 * could measure on an idle one. `sessionOptions` (and its `extra` entries) override these.
 */
function sessionOptions(options: CrossEncoderLoadOptions): Record<string, unknown> {
  const threads = options.threads ?? (os.availableParallelism?.() ?? os.cpus().length);
  const { extra, ...overrides } = options.sessionOptions ?? {};
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    ...overrides,
    extra: { 'session.intra_op.allow_spinning': '0', ...(extra as Record<string, unknown> | undefined) },
  };
}

function loadError(source: ModelSource, options: CrossEncoderLoadOptions, error: unknown, file: string): CrossrankError {
  if (error instanceof CrossrankError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const corrupt = /protobuf|parse|invalid model|load model|onnx|INVALID_GRAPH|INVALID_PROTOBUF/i.test(message) && !/not found|missing|local_files_only|fetch/i.test(message);
  if (source.kind === 'local') {
    if (file === 'tokenizer.json') {
      return new TokenizerNotFoundError(`Could not read the tokenizer in ${source.folder}: ${message}`, { cause: error });
    }
    return new ModelFormatError(
      `Could not load ${path.join(source.folder, file)}: ${message}. The file may be corrupt or not an ONNX model; re-export or re-download it.`,
      { cause: error },
    );
  }
  if (corrupt) {
    return new ModelFormatError(`The cached ${file} of "${source.id}" could not be loaded (${message}). Delete it from the cache and load again.`, { cause: error });
  }
  const cacheDir = options.cacheDir ?? transformersEnv.cacheDir ?? '(transformers.js default cache)';
  const tried = [
    path.join(String(cacheDir), source.id, file),
    `${transformersEnv.remoteHost}${source.id}/resolve/${options.revision ?? 'main'}/${file}`,
  ];
  const offline = options.localFilesOnly
    ? 'localFilesOnly is set, so nothing was downloaded.'
    : 'The download failed (no network, a wrong id, or a gated model).';
  return new ModelNotFoundError(
    `Could not load ${file} of model "${source.id}". ${offline} Tried: ${tried.join(', ')}. ` +
      'To run offline, load it once with network access (it is cached in cacheDir), or pass a local folder holding config.json, tokenizer.json and onnx/model.onnx. ' +
      `Cause: ${message}`,
    tried,
    { cause: error },
  );
}
