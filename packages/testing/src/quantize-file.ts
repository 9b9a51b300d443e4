import { INLINE_LIMIT_BYTES, initializerBytes, readOnnxModel, writeOnnxModel } from './external-data.js';
import { quantizeModel, type QuantizeOptions } from './quantize.js';

export interface QuantizeFileOptions extends QuantizeOptions {
  /**
   * Write the quantized weights to `<output>_data` beside `output` (ONNX external data). Default: when
   * the input keeps its weights there, or the quantized model would not fit protobuf's 2 GB limit.
   */
  externalData?: boolean;
}

/**
 * `quantizeModel` from one ONNX file to another, for models of any size: weights the input keeps in
 * external data (`model.onnx_data`) are read from beside it, and the output can be written the same way.
 */
export async function quantizeModelFile(input: string, output: string, options: QuantizeFileOptions = {}): Promise<void> {
  const { externalData, ...quantizeOptions } = options;
  const { model, external } = await readOnnxModel(input);
  const quantized = quantizeModel(model, quantizeOptions);
  await writeOnnxModel(quantized, output, externalData ?? (external || initializerBytes(quantized) > INLINE_LIMIT_BYTES));
}
