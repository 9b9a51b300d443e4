/** The local default: MiniLM-L6 fine-tuned on MS MARCO, with transformers.js ONNX exports (fp32 and q8). */
export const DEFAULT_MODEL = 'Xenova/ms-marco-MiniLM-L-6-v2';
