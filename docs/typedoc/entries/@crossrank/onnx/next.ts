/**
 * `withCrossrank(nextConfig)`: ships ONNX Runtime's shared library in a Next.js standalone build.
 *
 * @module @crossrank/onnx/next
 */
export * from '@crossrank/onnx/next';
