import { withCrossrank } from '@crossrank/onnx/next';

// `output: 'standalone'`: .next/standalone holds the server and the node_modules files it traced, so
// the folder alone is what a container or a serverless function runs. `withCrossrank` adds the one
// file Next.js's tracer misses: ONNX Runtime's shared library (see the @crossrank/onnx README).
export default withCrossrank({
  output: 'standalone',
});
