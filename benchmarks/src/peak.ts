import { matMulFlops } from './flops.js';
import { onnx } from './onnx.js';
import type { OrtModule, OrtSession } from './ort.js';
import { mulberry32 } from './workload.js';

const FLOAT = 1;

/** A one-node ONNX model, `y = a @ w`, with a constant n x n weight: the fp32 GEMM ceiling. */
export function matMulModel(n: number): Uint8Array {
  const random = mulberry32(n);
  const weight = Float32Array.from({ length: n * n }, () => random() - 0.5);
  const square = { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } };
  return onnx.ModelProto.encode({
    irVersion: 7,
    producerName: 'crossrank-benchmarks',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'peak_matmul',
      node: [{ name: 'matmul', opType: 'MatMul', input: ['a', 'w'], output: ['y'] }],
      initializer: [{ name: 'w', dims: [n, n], dataType: FLOAT, rawData: new Uint8Array(weight.buffer) }],
      input: [{ name: 'a', type: square }],
      output: [{ name: 'y', type: square }],
    },
  }).finish();
}

/** Times the MatMul model with ONNX Runtime: each `measure` returns the best of `repeats` runs. */
export class PeakProbe {
  readonly flops: number;
  private readonly feeds: Record<string, unknown>;

  private constructor(
    private readonly session: OrtSession,
    n: number,
    ort: OrtModule,
    private readonly repeats: number,
  ) {
    this.flops = matMulFlops(n);
    const random = mulberry32(n + 1);
    this.feeds = { a: new ort.Tensor('float32', Float32Array.from({ length: n * n }, () => random() - 0.5), [n, n]) };
  }

  static async create(ort: OrtModule, n: number, threads: number, repeats: number): Promise<PeakProbe> {
    const session = await ort.InferenceSession.create(matMulModel(n), { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
    const probe = new PeakProbe(session, n, ort, repeats);
    await probe.measure();
    return probe;
  }

  async measure(): Promise<number> {
    let best = Infinity;
    for (let i = 0; i < this.repeats; i++) {
      const started = performance.now();
      await this.session.run(this.feeds);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  }
}
