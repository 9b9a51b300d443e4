import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cachedFilePath, defaultModelCacheDir } from '../cache-dir.js';
import { ModelFormatError, ModelNotFoundError } from '../errors.js';
import type { ModelSource } from '../model-source.js';

/** The load options that say where a model's files come from. */
export interface ModelFileOptions {
  localFilesOnly?: boolean;
  cacheDir?: string;
  revision?: string;
}

/**
 * A model's files, from a local folder or a hub repository. Hub files are downloaded once into the
 * same cache (and layout) as the rest of crossrank's downloads, so an offline run finds them.
 *
 * The causal-LM path reads files a sequence classifier never needs (`modules.json`,
 * `1_LogitScore/config.json`, `chat_template.jinja`, external ONNX weights), and most of them are
 * optional: a missing one is `undefined`, not an error.
 */
export class ModelFiles {
  readonly source: ModelSource;
  private readonly options: ModelFileOptions;

  constructor(source: ModelSource, options: ModelFileOptions) {
    this.source = source;
    this.options = options;
  }

  /** Where `file` is (or would be) on disk. */
  localPath(file: string): string {
    return this.source.kind === 'local'
      ? path.join(this.source.folder, file)
      : cachedFilePath(this.options.cacheDir ?? defaultModelCacheDir(), this.source.id, this.options.revision, file);
  }

  /** The path of `file`, downloading it first for a hub model; undefined when the model has no such file. */
  async path(file: string): Promise<string | undefined> {
    const local = this.localPath(file);
    if (existsSync(local)) return local;
    if (this.source.kind === 'local' || this.options.localFilesOnly) return undefined;
    return (await this.download(file, local)) ? local : undefined;
  }

  /** The text of an optional file, or undefined. */
  async text(file: string): Promise<string | undefined> {
    const at = await this.path(file);
    return at === undefined ? undefined : readFileSync(at, 'utf8');
  }

  /** An optional JSON object file, or undefined; a file that is not a JSON object is a `ModelFormatError`. */
  async json(file: string): Promise<Record<string, unknown> | undefined> {
    const text = await this.text(file);
    if (text === undefined) return undefined;
    if (text.trim() === '') throw new ModelFormatError(`${this.describe(file)} is empty. Restore it (re-download or re-export the model).`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ModelFormatError(`${this.describe(file)} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Restore it (re-download or re-export the model).`, { cause: error });
    }
    if (parsed === null || typeof parsed !== 'object') {
      throw new ModelFormatError(`${this.describe(file)} must hold a JSON object or array. Restore it (re-download or re-export the model).`);
    }
    return parsed as Record<string, unknown>;
  }

  /** A file that must exist: its path, or a `ModelNotFoundError` naming where it was looked for. */
  async required(file: string, why: string): Promise<string> {
    const at = await this.path(file);
    if (at !== undefined) return at;
    const tried = [this.localPath(file)];
    if (this.source.kind === 'hub' && !this.options.localFilesOnly) tried.push(this.url(file));
    throw new ModelNotFoundError(
      `${this.describe(file)} was not found (${why}). ` +
        (this.source.kind === 'hub' && this.options.localFilesOnly ? 'localFilesOnly is set, so nothing was downloaded; load it once with network access. ' : '') +
        `Tried: ${tried.join(', ')}.`,
      tried,
    );
  }

  describe(file: string): string {
    return this.source.kind === 'local' ? path.join(this.source.folder, file) : `${file} of "${this.source.id}"`;
  }

  private url(file: string): string {
    const endpoint = (process.env['HF_ENDPOINT']?.trim() || 'https://huggingface.co').replace(/\/+$/, '');
    const id = (this.source as { id: string }).id;
    return `${endpoint}/${id}/resolve/${encodeURIComponent(this.options.revision ?? 'main')}/${file}`;
  }

  /** Downloads `file` to `target` (through a temporary name, so a cut download never looks cached); false on 404. */
  private async download(file: string, target: string): Promise<boolean> {
    const url = this.url(file);
    let response: Response;
    try {
      const token = process.env['HF_TOKEN']?.trim();
      response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    } catch (error) {
      throw new ModelNotFoundError(
        `Could not download ${file} of model "${(this.source as { id: string }).id}" from ${url}: ${error instanceof Error ? error.message : String(error)}. ` +
          'To run offline, load it once with network access, or pass a local folder.',
        [target, url],
        { cause: error },
      );
    }
    if (response.status === 404) return false;
    if (!response.ok || !response.body) {
      throw new ModelNotFoundError(
        `Downloading ${url} failed with HTTP ${response.status}${response.status === 401 || response.status === 403 ? ' (a gated or private model: set HF_TOKEN)' : ''}.`,
        [target, url],
      );
    }
    mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.part`;
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(partial));
      renameSync(partial, target);
    } catch (error) {
      rmSync(partial, { force: true });
      throw new ModelNotFoundError(`Downloading ${url} was cut off: ${error instanceof Error ? error.message : String(error)}.`, [target, url], { cause: error });
    }
    return true;
  }
}
