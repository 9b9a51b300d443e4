// Type-checked with skipLibCheck: false under node10, node16, nodenext and bundler resolution (the
// LlamaIndex adapter in types-llamaindex.ts, under bundler only: llamaindex's own types take minutes), in an
// app with every crossrank package installed.
import { CrossrankError, isCrossrankError, type Reranker } from '@crossrank/core';
import { CrossEncoder, type CrossEncoderLoadOptions } from '@crossrank/onnx';
import { withCrossrank } from '@crossrank/onnx/next';
import { JinaReranker } from '@crossrank/api';
import { createTestCrossEncoder, quantizeModelBytes, type TestCrossEncoderModel } from '@crossrank/testing';
import { CrossEncoderReranker } from '@crossrank/langchain';

const options: CrossEncoderLoadOptions = { dtype: 'q8', maxLength: 256 };
export const compressor = new CrossEncoderReranker({ model: 'Xenova/ms-marco-MiniLM-L-6-v2', modelOptions: options, topN: 3 });
// With @crossrank/onnx installed, modelOptions is typed: a wrong dtype is a type error.
// @ts-expect-error 'q9' is not a CrossEncoderDtype
export const wrong = new CrossEncoderReranker({ model: 'x', modelOptions: { dtype: 'q9' } });

// The Next.js config helper keeps the config's own options and their types.
const nextConfig = withCrossrank({ output: 'standalone' as const, reactStrictMode: true });
export const output: 'standalone' = nextConfig.output;
export const includes: string[] | undefined = nextConfig.outputFileTracingIncludes?.['/**/*'];

export async function run(dir: string): Promise<number> {
  const model: TestCrossEncoderModel = await createTestCrossEncoder({ dir });
  const encoder: Reranker = await CrossEncoder.load(model.dir);
  const fallback: Reranker = new JinaReranker({ apiKey: 'k' });
  const bytes: Uint8Array = quantizeModelBytes(new Uint8Array(0));
  try {
    return (await encoder.rerank('q', ['a', 'b'])).length + bytes.length + (fallback ? 1 : 0);
  } catch (error) {
    if (error instanceof CrossrankError || isCrossrankError(error)) return -1;
    throw error;
  }
}
