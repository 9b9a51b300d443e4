import { open, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import { onnx, type OnnxTypes } from './onnx-proto.js';

/**
 * ONNX's external data: initializers stored in a file beside the graph (`model.onnx_data` next to
 * `model.onnx`), as exporters write every model over protobuf's 2 GB message limit. Each such tensor
 * has `data_location: EXTERNAL` and `external_data` entries `location` (relative to the graph's
 * folder), `offset` and `length`.
 */

/** A protobuf message (so an inline ONNX model) cannot exceed 2 GiB; stay clear of it by a margin for the graph itself. */
export const INLINE_LIMIT_BYTES = 2 ** 31 - 64 * 2 ** 20;
/** Smaller tensors stay inline, as `onnx.external_data_helper.convert_model_to_external_data(size_threshold=1024)` leaves them. */
const MIN_EXTERNAL_BYTES = 1024;
/** Page-aligned offsets let ONNX Runtime map a tensor straight from the file. */
const ALIGNMENT = 4096;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

/** `onnx/model.onnx` -> `onnx/model.onnx_data`: the name the hub's exports use. */
export function externalDataFileOf(modelFile: string): string {
  return `${modelFile}_data`;
}

/**
 * Writes `model` to `file`. With `external`, every initializer of 1 KiB or more goes to
 * `<file>_data` (named by its final base name, so `file` may sit in a staging folder), at offsets
 * aligned to 4096 bytes, and the graph file keeps only the references.
 */
export async function writeOnnxModel(model: OnnxTypes.IModelProto, file: string, external: boolean): Promise<void> {
  if (!external) {
    await writeFile(file, onnx.ModelProto.encode(model).finish());
    return;
  }
  const location = basename(externalDataFileOf(file));
  const handle = await open(join(dirname(file), location), 'w');
  let offset = 0;
  const initializers: OnnxTypes.ITensorProto[] = [];
  try {
    for (const tensor of model.graph?.initializer ?? []) {
      const bytes = tensor.rawData;
      if (!bytes || bytes.length < MIN_EXTERNAL_BYTES) {
        initializers.push(tensor);
        continue;
      }
      offset = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
      await handle.write(bytes, 0, bytes.length, offset);
      // Without rawData: protobufjs writes a field whenever the key is present.
      const { rawData: _inline, ...rest } = tensor;
      initializers.push({
        ...rest,
        dataLocation: EXTERNAL,
        externalData: [
          { key: 'location', value: location },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(bytes.length) },
        ],
      });
      offset += bytes.length;
    }
  } finally {
    await handle.close();
  }
  await writeFile(file, onnx.ModelProto.encode({ ...model, graph: { ...model.graph, initializer: initializers } }).finish());
}

/**
 * Reads an ONNX file, with the tensors it keeps in external data read back into `rawData`;
 * `external` says whether there were any.
 */
export async function readOnnxModel(file: string): Promise<{ model: OnnxTypes.IModelProto; external: boolean }> {
  const model = onnx.ModelProto.decode(await readFile(file));
  const external = (model.graph?.initializer ?? []).filter(isExternal);
  if (external.length === 0) return { model, external: false };
  const handles = new Map<string, Awaited<ReturnType<typeof open>>>();
  try {
    for (const tensor of external) {
      const entries = new Map((tensor.externalData ?? []).map((e) => [e.key, e.value ?? '']));
      const location = entries.get('location');
      if (!location || location.includes('..')) {
        throw new InvalidInputError(`${file}: tensor ${tensor.name} is stored externally at ${JSON.stringify(location)}; expected a file name beside the model.`);
      }
      const path = join(dirname(file), location);
      let handle = handles.get(path);
      if (!handle) {
        handle = await open(path, 'r').catch((error: unknown) => {
          throw new InvalidInputError(`${file} keeps its weights in ${location}, which could not be opened (${(error as Error).message}). Keep ${location} beside the model file.`, { cause: error });
        });
        handles.set(path, handle);
      }
      const offset = Number(entries.get('offset') ?? 0);
      const length = entries.has('length') ? Number(entries.get('length')) : (await handle.stat()).size - offset;
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      if (bytesRead !== length) throw new InvalidInputError(`${location} ends before tensor ${tensor.name} (${length} bytes at offset ${offset}); the file is truncated.`);
      tensor.rawData = bytes;
      // Deleted, not reset: an own field is written even at its default, and the model would not encode as the inline file does.
      delete tensor.externalData;
      delete tensor.dataLocation;
    }
  } finally {
    for (const handle of handles.values()) await handle.close();
  }
  return { model, external: true };
}

export function isExternal(tensor: OnnxTypes.ITensorProto): boolean {
  return tensor.dataLocation === EXTERNAL;
}

/** The bytes of all initializers stored in `rawData`: what an inline model file would hold. */
export function initializerBytes(model: OnnxTypes.IModelProto): number {
  return (model.graph?.initializer ?? []).reduce((sum, t) => sum + (t.rawData?.length ?? 0), 0);
}
