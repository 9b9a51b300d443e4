import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { CrossrankError, ModelFormatError } from './errors.js';
import { fetchHubModel } from './hub/hub-model.js';
import { hubSettings } from './hub/hub-settings.js';
import { checkLocalFolder, readConfigJson, resolveModelSource, type ModelSource } from './model-source.js';
import type { CrossEncoderDtype, CrossEncoderLoadOptions } from './options.js';
import { loadPretrainedTokenizer, type TokenizerLike } from './pretrained-tokenizer.js';
import { loadOnnxRuntime } from './runtime-modules.js';

/** Where a model's files are on disk: a local folder, or the hub cache snapshot they were fetched into. */
export interface ModelLocation {
  source: ModelSource;
  /** The folder holding config.json, the tokenizer files and `modelFile`. */
  folder: string;
  /** The ONNX file's path inside `folder`, `/`-separated. */
  modelFile: string;
  /** Whether the model has a tokenizer_config.json (optional on the hub). */
  hasTokenizerConfig: boolean;
}

/** Which ONNX file to load: from `dtype` (then named for errors) or from `modelFile`. */
export interface ModelFileChoice {
  modelFile: string;
  dtype: CrossEncoderDtype | undefined;
}

/**
 * The small files that make a repository a sentence-transformers causal-LM reranker (read by
 * causal/causal-reranker.ts), fetched with every hub model when the repository has them: so such a
 * model is recognised by its hub id, and offline from the cache, exactly as from a local folder.
 * `1_LogitScore/` is where sentence-transformers saves that module (`<index>_<class name>`).
 */
const SENTENCE_TRANSFORMERS_FILES = ['modules.json', '1_LogitScore/config.json', 'config_sentence_transformers.json', 'sentence_bert_config.json', 'chat_template.jinja'];

/**
 * Finds a model's files: checks a local folder, or fetches a hub id's files into the Hugging Face
 * hub cache (downloading only what the cache lacks). Nothing is loaded yet.
 */
export async function locateModel(model: string, options: CrossEncoderLoadOptions, choice: ModelFileChoice): Promise<ModelLocation> {
  const source = resolveModelSource(model);
  if (source.kind === 'local') {
    checkLocalFolder(source.folder, choice.modelFile, choice.dtype);
    return { source, folder: source.folder, modelFile: choice.modelFile, hasTokenizerConfig: existsSync(path.join(source.folder, 'tokenizer_config.json')) };
  }
  const settings = hubSettings();
  const snapshot = await fetchHubModel({
    id: source.id,
    revision: options.revision ?? 'main',
    files: [
      { name: 'config.json' },
      { name: 'tokenizer.json' },
      { name: 'tokenizer_config.json', optional: true },
      { name: choice.modelFile },
      // Weights over 2 GB sit beside the graph (`model.onnx_data`); ONNX Runtime opens it from the graph's folder.
      { name: `${choice.modelFile}_data`, optional: true },
      ...SENTENCE_TRANSFORMERS_FILES.map((name) => ({ name, optional: true })),
    ],
    localFilesOnly: options.localFilesOnly === true,
    settings: { ...settings, cacheDir: options.cacheDir ?? settings.cacheDir },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { source, folder: snapshot.folder, modelFile: choice.modelFile, hasTokenizerConfig: !snapshot.missing.has('tokenizer_config.json') };
}

/** The tokenizer: what the calling thread needs when forward passes run in workers. */
export async function loadTokenizer(location: ModelLocation): Promise<TokenizerLike> {
  const config = location.hasTokenizerConfig ? path.join(location.folder, 'tokenizer_config.json') : undefined;
  return loadPretrainedTokenizer(path.join(location.folder, 'tokenizer.json'), config);
}

/** What `ClassifierSession` needs of a loaded model: its ONNX session, tensors to feed it, and a way to release it. */
export interface LoadedClassifier {
  sessions: Record<string, unknown>;
  config: Record<string, unknown>;
  /** onnxruntime-node's `Tensor`, from the copy the session came from. */
  Tensor: typeof Tensor;
  dispose(): Promise<unknown>;
}

/**
 * The ONNX classifier (config and session); runs in a worker thread or in the calling thread. The
 * session is created from the file's path with onnxruntime-node, which maps the file itself: no
 * copy of the weights passes through JavaScript (transformers.js 4.3 read every file it resolved
 * into a body nobody used: about 38 MB more resident per load of a 91 MB model).
 */
export async function loadClassifier(location: ModelLocation, options: CrossEncoderLoadOptions): Promise<LoadedClassifier> {
  const config = readConfigJson(path.join(location.folder, 'config.json'));
  const { session, Tensor } = await openOnnxSession(location, options);
  return { sessions: { model: session }, config, Tensor, dispose: () => session.release() };
}

/**
 * Opens `location.modelFile` with onnxruntime-node on the CPU (classifiers and causal-LM rerankers
 * alike); a file ONNX Runtime rejects is a `ModelFormatError` that says what to do about it.
 */
export async function openOnnxSession(location: ModelLocation, options: CrossEncoderLoadOptions): Promise<{ session: InferenceSession; Tensor: typeof Tensor }> {
  const file = path.join(location.folder, ...location.modelFile.split('/'));
  const ort = await loadOnnxRuntime();
  try {
    const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], logSeverityLevel: 3, ...sessionOptions(options) } as InferenceSession.SessionOptions);
    return { session, Tensor: ort.Tensor };
  } catch (error) {
    throw loadError(location, file, error);
  }
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

function loadError(location: ModelLocation, file: string, error: unknown): CrossrankError {
  if (error instanceof CrossrankError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const { source } = location;
  if (source.kind === 'local') {
    return new ModelFormatError(
      `Could not load ${file}: ${message}. The file may be corrupt or not an ONNX model; re-export or re-download it.`,
      { cause: error },
    );
  }
  const repo = path.dirname(path.dirname(location.folder));
  return new ModelFormatError(
    `The cached ${location.modelFile} of "${source.id}" (${file}) could not be loaded (${message}). Delete ${repo} and load again to download it afresh.`,
    { cause: error },
  );
}
