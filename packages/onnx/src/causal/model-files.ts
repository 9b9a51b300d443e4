import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelFormatError } from '../errors.js';
import type { ModelLocation } from '../model-loader.js';

/**
 * A causal-LM reranker's files, read from where `locateModel` put them: the local folder, or the
 * hub cache snapshot it fetched them into (with the optional sentence-transformers files, see
 * `SENTENCE_TRANSFORMERS_FILES` in model-loader.ts). Nothing is downloaded here, so a hub model and
 * a local folder are read the same way.
 *
 * The causal-LM path reads files a sequence classifier never needs (`modules.json`,
 * `1_LogitScore/config.json`, `chat_template.jinja`), and most of them are optional: a missing one
 * is `undefined`, not an error.
 */
export class ModelFiles {
  readonly location: ModelLocation;

  constructor(location: ModelLocation) {
    this.location = location;
  }

  /** The path of `file`; undefined when the model has no such file. */
  path(file: string): string | undefined {
    const at = path.join(this.location.folder, ...file.split('/'));
    return existsSync(at) ? at : undefined;
  }

  /** The text of an optional file, or undefined. */
  text(file: string): string | undefined {
    const at = this.path(file);
    return at === undefined ? undefined : readFileSync(at, 'utf8');
  }

  /** An optional JSON object file, or undefined; a file that is not a JSON object is a `ModelFormatError`. */
  json(file: string): Record<string, unknown> | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    if (text.trim() === '') throw new ModelFormatError(`${this.describe(file)} is empty. ${this.restore()}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ModelFormatError(`${this.describe(file)} is not valid JSON (${error instanceof Error ? error.message : String(error)}). ${this.restore()}`, { cause: error });
    }
    if (parsed === null || typeof parsed !== 'object') {
      throw new ModelFormatError(`${this.describe(file)} must hold a JSON object or array. ${this.restore()}`);
    }
    return parsed as Record<string, unknown>;
  }

  /** `file` as messages name it: its path in a local folder, `<file> of "<hub id>"` for a hub model. */
  describe(file: string): string {
    const { source } = this.location;
    return source.kind === 'local' ? path.join(source.folder, file) : `${file} of "${source.id}"`;
  }

  private restore(): string {
    const { source, folder } = this.location;
    return source.kind === 'local'
      ? 'Restore it (re-download or re-export the model).'
      : `Delete ${path.dirname(path.dirname(folder))} and load again to download it afresh.`;
  }
}
