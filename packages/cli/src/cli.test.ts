// End-to-end: runs the BUILT command (dist/cli.js, as `pnpm test` builds it first) in a child process.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { GENERATED_MODEL_NOTE } from './backends.js';
import { evaluateReranker } from './evaluate.js';
import { loadCandidates, loadQrels } from './load-inputs.js';
import { selectJudgedQueries } from './select-queries.js';
import { fixture } from './test-support.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

async function crossrank(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it first (pnpm --filter @crossrank/cli build).`);
});

describe('crossrank (built)', () => {
  test('reranks the fixture with a local model (generated, random weights) and matches an in-process run', async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('cli-eval-tiny'), quantized: true });
    const { code, stdout, stderr } = await crossrank(
      ...['eval', '--candidates', fixture('candidates.json'), '--qrels', fixture('qrels.txt'), '--model', dir],
      ...['--dtype', 'q8', '--k', '1,3', '--json'],
    );
    // A generated model: the note goes to stderr, so stdout stays one JSON document.
    expect({ code, stderr }).toEqual({ code: 0, stderr: `Note: ${GENERATED_MODEL_NOTE}\n` });
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ reranker: `local ${dir} (q8)`, queries: 2, rerank: { documents: 10 } });
    expect(output.rerank.queriesPerSecond).toBeGreaterThan(0);

    // The same model and data evaluated in this process must give the same per-query figures.
    const encoder = await CrossEncoder.load(dir, { dtype: 'q8' });
    try {
      const qrels = await loadQrels(fixture('qrels.txt'));
      const { selected } = selectJudgedQueries(await loadCandidates({ candidates: fixture('candidates.json'), needTexts: true }), qrels);
      const expected = await evaluateReranker(encoder, selected, qrels, { depth: 100, recallDepths: [1, 3], relLevel: 2 });
      expect(output.perQuery).toEqual(expected.perQuery);
    } finally {
      await encoder.dispose();
    }
  });

  test('scores the fixture run with --backend none and prints JSON', async () => {
    const { code, stdout, stderr } = await crossrank(
      ...['eval', '--candidates', fixture('run.trec'), '--qrels', fixture('qrels.txt'), '--backend', 'none', '--k', '3', '--json'],
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const output = JSON.parse(stdout);
    expect(output.queries).toBe(2);
    // Query 101: RR 1/2; query 102: RR 1/3 (see evaluate.test.ts for the hand computation).
    expect(output.before['MRR@10']).toBeCloseTo(5 / 12, 12);
    expect(output.before['Recall@3']).toBeCloseTo(0.5, 12);
  });

  test('prints usage and exits 0 for eval --help', async () => {
    // Every other help path is covered in-process by main.test.ts; this checks the built wiring.
    const { code, stdout } = await crossrank('eval', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--candidates <file>');
    expect(stdout).toContain('(default: Xenova/ms-marco-MiniLM-L-6-v2)');
  });

  test('exits 2 with a one-line message and no stack trace for a bad argument', async () => {
    const { code, stdout, stderr } = await crossrank('eval', '--candidates', fixture('candidates.json'), '--qrels', fixture('qrels.txt'), '--depth', 'ten');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('crossrank: --depth must be an integer >= 1, got "ten".\n');
  });
});
