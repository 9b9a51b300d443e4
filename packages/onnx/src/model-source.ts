import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, ModelFormatError, ModelNotFoundError, TokenizerNotFoundError } from './errors.js';
import { DTYPE_FILE_SUFFIX, dtypeModelFile, type CrossEncoderDtype } from './options.js';
import { fileInsteadOfFolder } from './model-path-hint.js';
import { describe } from './ranking.js';

export type ModelSource = { kind: 'local'; folder: string } | { kind: 'hub'; id: string };

const HUB_ID = /^[\w.-]+(\/[\w.-]+)?$/;

/**
 * Decides whether `model` is a folder on disk or a Hugging Face hub id. Anything that names an
 * existing folder, or looks like a path, is local: we never fall back to the hub for a typo'd path.
 */
export function resolveModelSource(model: string): ModelSource {
  if (typeof model !== 'string' || model.trim() === '') {
    throw new InvalidInputError(
      `model must be a Hugging Face hub id (e.g. "Xenova/ms-marco-MiniLM-L-6-v2") or a local folder path, got ${describe(model)}.`,
    );
  }
  const absolute = path.resolve(model);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) return { kind: 'local', folder: absolute };
  if (existsSync(absolute)) throw fileInsteadOfFolder(absolute);
  const looksLikePath = path.isAbsolute(model) || model.startsWith('.') || model.startsWith('~') || model.includes('\\');
  if (looksLikePath || !HUB_ID.test(model)) {
    throw new ModelNotFoundError(
      `No model folder at ${absolute}. Pass a folder holding config.json, tokenizer.json and onnx/model.onnx, ` +
        'or a Hugging Face hub id such as "Xenova/ms-marco-MiniLM-L-6-v2".',
      [absolute],
    );
  }
  return { kind: 'hub', id: model };
}

/**
 * Checks a local folder before loading it, so each missing piece is named. `modelFile` is the ONNX
 * file's path in it; `dtype` is set when that path came from the `dtype` option.
 */
export function checkLocalFolder(folder: string, modelFile: string, dtype: CrossEncoderDtype | undefined): void {
  const config = path.join(folder, 'config.json');
  if (!existsSync(config)) {
    throw new ModelNotFoundError(
      `${folder} has no config.json, so it is not a Hugging Face model folder. Export the model with ` +
        '`optimum-cli export onnx --task text-classification` or generate one with createTestCrossEncoder.',
      [config],
    );
  }
  readConfigJson(config);
  if (!existsSync(path.join(folder, 'tokenizer.json'))) {
    throw new TokenizerNotFoundError(
      `${folder} has no tokenizer.json. Copy the model's tokenizer files (tokenizer.json, tokenizer_config.json) into the folder.`,
    );
  }
  const file = path.join(folder, ...modelFile.split('/'));
  if (!existsSync(file)) {
    if (dtype === undefined) {
      const others = onnxFiles(path.dirname(file));
      throw new ModelNotFoundError(
        `${folder} has no ${modelFile} (options.modelFile). ` +
          (others.length > 0 ? `ONNX files in ${path.dirname(file)}: ${others.join(', ')}.` : `${path.dirname(file)} holds no ONNX files.`),
        [file],
      );
    }
    const available = availableDtypes(folder);
    throw new ModelNotFoundError(
      `${folder} has no ${path.join(...modelFile.split('/'))} for dtype "${dtype}". ` +
        (available.length > 0
          ? `Available here: ${available.map((d) => `"${d}"`).join(', ')}; pass one of them as { dtype }.`
          : 'The folder has no ONNX model files; export or copy them into onnx/.'),
      [file],
    );
  }
}

function onnxFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.onnx')).sort() : [];
}

export function availableDtypes(folder: string): CrossEncoderDtype[] {
  const dir = path.join(folder, 'onnx');
  if (!existsSync(dir)) return [];
  const files = new Set(readdirSync(dir));
  return (Object.keys(DTYPE_FILE_SUFFIX) as CrossEncoderDtype[]).filter((d) => files.has(path.posix.basename(dtypeModelFile(d))));
}

/**
 * Reads config.json, naming it when it is broken (a JSON error would otherwise surface as a failure
 * of whatever was loaded next).
 */
export function readConfigJson(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const why = text.trim() === '' ? 'is empty' : `is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    throw new ModelFormatError(`${file} ${why}. Restore the model's config.json (re-download or re-export the model).`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ModelFormatError(`${file} must hold a JSON object (the model's configuration), but holds ${Array.isArray(parsed) ? 'an array' : String(parsed)}. Restore the model's config.json.`);
  }
  return parsed as Record<string, unknown>;
}
