import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import { buildBertModel } from './bert-graph.js';
import { randomBertWeights } from './bert-weights.js';
import { calibrateClassifier } from './calibrate-classifier.js';
import { writeOnnxModel } from './external-data.js';
import { buildConfig, CONFIG_FILE, MARKER_KEY, markerFor, MODEL_DATA_FILE, MODEL_FILE, QUANTIZED_DATA_FILE, QUANTIZED_FILE, TOKENIZER_FILES, tokenizerFileNames, tokenizerFiles, XLMR_TOKENIZER_FILES } from './hf-folder.js';
import type { OnnxTypes } from './onnx-proto.js';
import { resolveOptions, type ResolvedOptions, type TestCrossEncoderOptions } from './options.js';
import { quantizeModel } from './quantize.js';
import { qwen3Files, QWEN3_FILES, qwen3Marker } from './qwen3-folder.js';
import { buildQwen3Model } from './qwen3-graph.js';
import { randomQwen3Weights } from './qwen3-weights.js';

export interface TestCrossEncoderModel {
  /** Absolute path of the model folder. */
  dir: string;
  /** The parsed config.json (its `crossrank_test_model` entry marks the weights as random). */
  config: Record<string, unknown>;
  /** Files in the folder, relative to `dir`, '/'-separated, sorted (e.g. 'onnx/model.onnx'). */
  files: string[];
}

/**
 * Writes a Hugging Face model folder holding a real `BertForSequenceClassification` ONNX model with
 * seeded random weights and the real ms-marco-MiniLM-L-6-v2 tokenizer (or, by `architecture`,
 * ELECTRA's or XLM-RoBERTa's classifier), for tests that cannot download a model. A folder already
 * holding the same model is reused as is.
 */
export async function createTestCrossEncoder(options: TestCrossEncoderOptions): Promise<TestCrossEncoderModel> {
  const resolved = resolveOptions(options);
  const { dir } = resolved;
  const existing = await inspectFolder(resolved);
  if (existing.kind === 'foreign') {
    throw new InvalidInputError(
      `options.dir ${dir} already exists and is not a crossrank test model folder; it will not be overwritten. Pass a new or empty folder.`,
    );
  }
  if (existing.kind === 'match' && !resolved.force) {
    if (resolved.quantized && !existing.hasQuantized) await addQuantizedFile(resolved);
    return describeFolder(dir);
  }

  await mkdir(dirname(dir), { recursive: true });
  await removeAbandonedSiblings(dir);
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeModelFolder(resolved, staging);
    await publish(staging, resolved);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return describeFolder(dir);
}

type FolderState =
  | { kind: 'missing' | 'foreign' | 'stale' }
  | { kind: 'match'; hasQuantized: boolean };

/** Whether `dir` holds this very model, another test model, nothing, or something that is not ours. */
async function inspectFolder(resolved: ResolvedOptions): Promise<FolderState> {
  const { dir } = resolved;
  const info = await stat(dir).catch(() => undefined);
  if (!info) return { kind: 'missing' };
  if (!info.isDirectory()) return { kind: 'foreign' };
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(join(dir, CONFIG_FILE), 'utf8')) as Record<string, unknown>;
  } catch {
    return (await readdir(dir)).length === 0 ? { kind: 'missing' } : { kind: 'foreign' };
  }
  const marker = config[MARKER_KEY];
  if (marker === null || typeof marker !== 'object') return { kind: 'foreign' };
  const { externalData } = resolved;
  const expected = resolved.qwen3 ? qwen3Marker(resolved.qwen3, resolved.seed, externalData) : markerFor(resolved.shape, resolved.seed, externalData);
  // externalData is written only when true: compared both ways, so an inline request does not reuse an external folder.
  const same = Object.keys(expected).every((key) => (marker as Record<string, unknown>)[key] === expected[key]) && ((marker as Record<string, unknown>)['externalData'] === true) === externalData;
  const required = [MODEL_FILE, ...(externalData ? [MODEL_DATA_FILE] : []), ...(resolved.qwen3 ? QWEN3_FILES : tokenizerFileNames(resolved.shape))];
  const complete = (await Promise.all(required.map((file) => isFile(join(dir, file))))).every(Boolean);
  if (!same || !complete) return { kind: 'stale' };
  const quantizedFiles = [QUANTIZED_FILE, ...(externalData ? [QUANTIZED_DATA_FILE] : [])];
  return { kind: 'match', hasQuantized: (await Promise.all(quantizedFiles.map((file) => isFile(join(dir, file))))).every(Boolean) };
}

async function writeModelFolder(resolved: ResolvedOptions, target: string): Promise<void> {
  const model = buildModel(resolved);
  await mkdir(join(target, 'onnx'), { recursive: true });
  await writeOnnxModel(model, join(target, MODEL_FILE), resolved.externalData);
  if (resolved.quantized) await writeOnnxModel(quantizeModel(model), join(target, QUANTIZED_FILE), resolved.externalData);
  if (resolved.qwen3) {
    await mkdir(join(target, '1_LogitScore'), { recursive: true });
    for (const [name, contents] of await qwen3Files(resolved.qwen3, resolved.seed, MARKER_KEY, resolved.externalData)) await writeFile(join(target, name), contents);
    return;
  }
  for (const [name, contents] of await tokenizerFiles(resolved.shape)) await writeFile(join(target, name), contents);
  const config = await buildConfig(resolved.shape, resolved.seed, resolved.externalData);
  await writeFile(join(target, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

function buildModel({ shape, seed, qwen3 }: ResolvedOptions): OnnxTypes.IModelProto {
  if (qwen3) return buildQwen3Model(qwen3, randomQwen3Weights(qwen3, seed));
  const weights = randomBertWeights(shape, seed);
  calibrateClassifier(shape, weights, seed);
  return buildBertModel(shape, weights);
}

/**
 * The folder matches but lacks the quantized file: add just that file (and its external data),
 * atomically: written in a staging folder, the data moved in before the graph that references it.
 */
async function addQuantizedFile(resolved: ResolvedOptions): Promise<void> {
  // A sibling of the folder, so removeAbandonedSiblings clears it if this process is killed mid-write.
  const staging = `${resolved.dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(join(staging, 'onnx'), { recursive: true });
    await writeOnnxModel(quantizeModel(buildModel(resolved)), join(staging, QUANTIZED_FILE), resolved.externalData);
    await moveQuantizedFiles(staging, resolved);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Moves the quantized graph (and, first, its external data) from `from` into the model folder. */
async function moveQuantizedFiles(from: string, resolved: ResolvedOptions): Promise<void> {
  for (const file of resolved.externalData ? [QUANTIZED_DATA_FILE, QUANTIZED_FILE] : [QUANTIZED_FILE]) await rename(join(from, file), join(resolved.dir, file));
}

/**
 * Moves the staged folder into place. Another process (a parallel jest worker) may have published
 * the same model meanwhile: then its folder is kept. A stale folder, or any folder under `force`,
 * is moved aside and deleted, so readers never see a half-written model.
 */
async function publish(staging: string, resolved: ResolvedOptions): Promise<void> {
  const { dir } = resolved;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await rename(staging, dir);
      return;
    } catch (error) {
      if (!isOccupied(error)) throw error;
    }
    const state = await inspectFolder(resolved);
    if (state.kind === 'foreign') {
      throw new InvalidInputError(`options.dir ${dir} was filled by something other than crossrank while the model was being written.`);
    }
    if (state.kind === 'match' && !resolved.force) {
      if (resolved.quantized && !state.hasQuantized) await moveQuantizedFiles(staging, resolved);
      return;
    }
    const aside = `${dir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(dir, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else moved it: retry
      throw error;
    }
    await rm(aside, { recursive: true, force: true });
  }
  throw new InvalidInputError(`Could not move the generated model into ${dir}: it kept being replaced. Use one folder per model.`);
}

// Older than any generation could take: a staging folder this old belongs to a killed process.
const ABANDONED_AFTER_MS = 30 * 60 * 1000;

/** Deletes `<dir>.tmp-*` / `<dir>.old-*` folders left behind by processes killed mid-write. */
async function removeAbandonedSiblings(dir: string): Promise<void> {
  const parent = dirname(dir);
  const prefixes = [`${basename(dir)}.tmp-`, `${basename(dir)}.old-`];
  for (const name of await readdir(parent)) {
    if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
    const path = join(parent, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > ABANDONED_AFTER_MS) await rm(path, { recursive: true, force: true });
  }
}

function isOccupied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM' || code === 'EACCES';
}

async function describeFolder(dir: string): Promise<TestCrossEncoderModel> {
  const config = JSON.parse(await readFile(join(dir, CONFIG_FILE), 'utf8')) as Record<string, unknown>;
  const candidates = [...new Set([CONFIG_FILE, MODEL_FILE, MODEL_DATA_FILE, QUANTIZED_FILE, QUANTIZED_DATA_FILE, ...TOKENIZER_FILES, ...XLMR_TOKENIZER_FILES, ...QWEN3_FILES])];
  const present = await Promise.all(candidates.map((file) => isFile(join(dir, file))));
  return { dir, config, files: candidates.filter((_, i) => present[i]).sort() };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
