import path from 'node:path';
import { ModelNotFoundError } from './errors.js';

/**
 * `model` named a file (often `onnx/model.onnx`, the file people see first) rather than the model
 * folder. Said plainly, with the folder to pass: the folder above `onnx/` for an ONNX file, else the
 * file's own folder. (Without this check a relative `onnx/model.onnx` even looked like a hub id.)
 */
export function fileInsteadOfFolder(file: string): ModelNotFoundError {
  const parent = path.dirname(file);
  const folder = path.basename(parent) === 'onnx' ? path.dirname(parent) : parent;
  return new ModelNotFoundError(
    `${file} is a file; pass its model folder instead (${folder}), the folder holding config.json, tokenizer.json and onnx/model.onnx.`,
    [file],
  );
}
