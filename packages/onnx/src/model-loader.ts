import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { InferenceSession } from 'onnxruntime-node';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { cachedFilePath, defaultModelCacheDir } from './cache-dir.js';
import { CrossrankError, ModelFormatError, ModelNotFoundError, TokenizerNotFoundError } from './errors.js';
import { checkLocalFolder, modelFileName, resolveModelSource, type ModelSource } from './model-source.js';
import type { CrossEncoderDtype, CrossEncoderLoadOptions } from './options.js';

type Transformers = typeof import('@huggingface/transformers');
// Set by tsup per output format; undefined when the source runs as is (ts-jest).
declare const __CROSSRANK_BUILD_FORMAT__: string | undefined;
let transformers: Promise<Transformers> | undefined;
let loadedTransformers: Transformers | undefined;

/**
 * `@huggingface/transformers` takes ~300 ms to import, so it is loaded on the first `load`, not when
 * this package is imported. The CommonJS build requires it, so a CommonJS app shares one copy (and
 * one `env`) with its own `require('@huggingface/transformers')`.
 */
function importTransformers(): Promise<Transformers> {
  transformers ??= (
    typeof __CROSSRANK_BUILD_FORMAT__ !== 'undefined' && __CROSSRANK_BUILD_FORMAT__ === 'cjs'
      ? Promise.resolve(require('@huggingface/transformers') as Transformers)
      : import('@huggingface/transformers')
  ).then((module) => (loadedTransformers = module));
  return transformers;
}

export interface LoadedModel {
  source: ModelSource;
  tokenizer: PreTrainedTokenizer;
  model: LoadedClassifier;
  config: Record<string, unknown>;
}

/** Loads tokenizer and ONNX weights through `@huggingface/transformers` (hub download + cache, or a folder). */
export async function loadModel(model: string, options: CrossEncoderLoadOptions, dtype: CrossEncoderDtype): Promise<LoadedModel> {
  const { source, tokenizer } = await loadTokenizer(model, options, dtype);
  const loaded = await loadClassifier(source, options, dtype);
  const config = { ...(loaded as unknown as { config: Record<string, unknown> }).config };
  return { source, tokenizer, model: loaded, config };
}

/** The tokenizer alone: what the calling thread needs when forward passes run in workers. */
export async function loadTokenizer(
  model: string,
  options: CrossEncoderLoadOptions,
  dtype: CrossEncoderDtype,
): Promise<{ source: ModelSource; tokenizer: PreTrainedTokenizer }> {
  const source = resolveModelSource(model);
  if (source.kind === 'local') checkLocalFolder(source.folder, dtype);
  const { AutoTokenizer } = await importTransformers();
  try {
    // transformers.js 4.3 looks up a hub tokenizer's files without the call's cache_dir and
    // local_files_only (get_tokenizer_files), so a cached hub model would go to the network offline:
    // read a complete cached copy as the local folder it is.
    const cached = cachedTokenizerFolder(source, options);
    const tokenizer = cached
      ? await AutoTokenizer.from_pretrained(cached, { local_files_only: true })
      : await AutoTokenizer.from_pretrained(location(source), hubOptions(source, options));
    return { source, tokenizer };
  } catch (error) {
    throw loadError(source, options, cacheDirOf(options), error, 'tokenizer.json');
  }
}

/** What `ClassifierSession` needs of a loaded model: its ONNX session(s) and a way to release them. */
export interface LoadedClassifier {
  sessions: Record<string, unknown>;
  config: Record<string, unknown>;
  dispose(): Promise<unknown>;
}

/**
 * The ONNX classifier (config and session); runs in a worker thread or in the calling thread.
 *
 * The session is created from the file's path with onnxruntime-node (the one transformers.js
 * uses), not through `from_pretrained`: transformers.js 4.3 opens every file it resolves as a
 * `FileResponse` whose constructor starts streaming the whole file into a body nobody reads, so
 * each load of a 91 MB model left about 38 MB more resident (100 load/dispose cycles: 287 MB after
 * 10, 3,782 MB after 100). transformers.js still downloads a hub model that is not cached yet.
 */
export async function loadClassifier(source: ModelSource, options: CrossEncoderLoadOptions, dtype: CrossEncoderDtype): Promise<LoadedClassifier> {
  const file = `onnx/${modelFileName(dtype)}`;
  const cached = onnxPath(source, options, file);
  const { AutoConfig, AutoModelForSequenceClassification } = await importTransformers();
  if (!cached) {
    try {
      const model = await AutoModelForSequenceClassification.from_pretrained(location(source), {
        ...hubOptions(source, options),
        dtype,
        device: 'cpu',
        session_options: sessionOptions(options),
      });
      return model as unknown as LoadedClassifier;
    } catch (error) {
      throw loadError(source, options, cacheDirOf(options), error, file);
    }
  }
  let config: Record<string, unknown>;
  try {
    config = { ...((await AutoConfig.from_pretrained(location(source), hubOptions(source, options))) as unknown as Record<string, unknown>) };
  } catch (error) {
    throw loadError(source, options, cacheDirOf(options), error, 'config.json');
  }
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(cached, { executionProviders: ['cpu'], logSeverityLevel: 3, ...sessionOptions(options) } as InferenceSession.SessionOptions);
  } catch (error) {
    throw loadError(source, options, cacheDirOf(options), error, file);
  }
  return { sessions: { model: session }, config, dispose: () => session.release() };
}

/** The ONNX file on disk: in a local folder, or in transformers.js's cache for a hub id. */
function onnxPath(source: ModelSource, options: CrossEncoderLoadOptions, file: string): string | undefined {
  if (source.kind === 'local') return path.join(source.folder, file);
  const cacheDir = cacheDirOf(options);
  const revision = options.revision ?? 'main';
  // transformers.js's FileCache key: `<id>/<file>` for main, `<id>/<revision>/<file>` otherwise.
  const candidate = path.join(cacheDir, ...(revision === 'main' ? [source.id] : [source.id, revision]), file);
  return existsSync(candidate) ? candidate : undefined;
}

/** A hub id's cached folder, when it holds the tokenizer files transformers.js would fetch. */
function cachedTokenizerFolder(source: ModelSource, options: CrossEncoderLoadOptions): string | undefined {
  if (source.kind === 'local') return undefined;
  const folder = path.dirname(cachedFilePath(cacheDirOf(options), source.id, options.revision, 'tokenizer.json'));
  return ['tokenizer.json', 'tokenizer_config.json'].every((file) => existsSync(path.join(folder, file))) ? folder : undefined;
}

function location(source: ModelSource): string {
  return source.kind === 'local' ? source.folder : source.id;
}

/** The cache transformers.js reads and writes: `cacheDir`, else the per-user default. */
function cacheDirOf(options: CrossEncoderLoadOptions): string {
  return options.cacheDir ?? defaultModelCacheDir();
}

function hubOptions(source: ModelSource, options: CrossEncoderLoadOptions) {
  return {
    local_files_only: source.kind === 'local' || options.localFilesOnly === true,
    cache_dir: cacheDirOf(options),
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(options.onProgress ? { progress_callback: options.onProgress as (p: unknown) => void } : {}),
  };
}

/**
 * One intra-op thread per core. Idle threads block instead of spinning: a spinning thread holds its
 * core between operators, and on a machine shared with other processes (or other sessions) each of
 * the ~100 operator barriers per forward pass then waits for a thread the scheduler put aside; in
 * `pnpm bench` runs on a shared 2-core machine this made CrossEncoder 1.5x faster, at no cost we
 * could measure on an idle one. `sessionOptions` (and its `extra` entries) override these.
 */
export function sessionOptions(options: CrossEncoderLoadOptions): Record<string, unknown> {
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

function loadError(source: ModelSource, options: CrossEncoderLoadOptions, cacheDir: string, error: unknown, file: string): CrossrankError {
  if (error instanceof CrossrankError) return error;
  // transformers.js parses config.json (and generation configs) in the model step; a JSON syntax
  // error there is never the ONNX file's fault.
  if (error instanceof SyntaxError && file.startsWith('onnx/')) file = 'config.json';
  const message = error instanceof Error ? error.message : String(error);
  const corrupt = error instanceof SyntaxError || /protobuf|parse|invalid model|load model|onnx|INVALID_GRAPH|INVALID_PROTOBUF/i.test(message) && !/not found|missing|local_files_only|fetch/i.test(message);
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
  // With localFilesOnly nothing was fetched, so the URL is not something that was tried.
  const tried = [cachedFilePath(cacheDir, source.id, options.revision, file)];
  if (!options.localFilesOnly) tried.push(`${loadedTransformers?.env.remoteHost ?? 'https://huggingface.co/'}${source.id}/resolve/${options.revision ?? 'main'}/${file}`);
  const offline = options.localFilesOnly
    ? 'localFilesOnly is set, so nothing was downloaded.'
    : 'The download failed (no network, a wrong id, or a gated model).';
  return new ModelNotFoundError(
    `Could not load ${file} of model "${source.id}". ${offline} Tried: ${tried.join(', ')}. ` +
      `To run offline, load it once with network access (it is cached in ${cacheDir}; set cacheDir or CROSSRANK_CACHE_DIR to move it), or pass a local folder holding config.json, tokenizer.json and onnx/model.onnx. ` +
      `Cause: ${message}`,
    tried,
    { cause: error },
  );
}
