import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';

// Node stops worker threads when the process ends; one stopped inside an ONNX Runtime forward pass
// used to abort the process (SIGABRT, "terminate called after throwing an instance of
// 'Napi::Error'", exit code 134) instead of exiting with the app's code. MiniLM's shape, so each
// pass is long enough that the exit lands in one.
let dir: string;

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-exit-minilm'), ...TEST_MODEL_SHAPES.miniLM, quantized: true }));
}, 300_000);

function runChild(dtype: string, cause: string) {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'support', 'exit-mid-rerank-child.cjs'), dir, dtype, cause], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(child.error).toBeUndefined();
  return child;
}

describe.each(['fp32', 'q8'] as const)('%s: ending the process while workers score', (dtype) => {
  it('process.exit(3) exits with 3, nothing on stderr', () => {
    const child = runChild(dtype, 'exit');
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 3, signal: null, stderr: '' });
    expect(child.stdout).toMatch(/^held \d+ ms\n$/);
  });

  it('an uncaught exception exits with 1 and its stack, no abort', () => {
    const child = runChild(dtype, 'throw');
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 1, signal: null });
    expect(child.stderr).toMatch(/Error: uncaught on purpose\n\s+at /);
    expect(child.stderr).not.toMatch(/terminate called|Napi::Error|Aborted/);
    expect(child.stdout).toMatch(/^held \d+ ms\n$/);
  });
});
