// The judged sample that makes the README's `crossrank eval` command work from a fresh clone: its
// files agree with each other, and the command as the README writes it runs on it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { candidatesJson } from './make-candidates';

const SAMPLE = __dirname;
const REPO = path.join(__dirname, '..', '..', '..');
const run = promisify(execFile);

const lines = (file: string) => readFileSync(path.join(SAMPLE, file), 'utf8').split('\n').filter((line) => line.trim() !== '');
const passages = lines('passages.jsonl').map((line) => JSON.parse(line) as { id: string; text: string });
const qids = lines('queries.tsv').map((line) => line.split('\t')[0]!);
const qrels = lines('qrels.txt').map((line) => {
  const [qid, , docid, grade] = line.split(/\s+/);
  return { qid: qid!, docid: docid!, grade: Number(grade) };
});

/** The README's eval command on the sample, as arguments to the `crossrank` binary (after `pnpm crossrank`). */
function readmeEvalArgs(): string[] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8').replace(/\\\n\s*/g, ' ');
  const command = readme.split('\n').find((line) => line.startsWith('pnpm crossrank eval') && line.includes('examples/data/eval-sample/'));
  if (!command) throw new Error('README.md has no `pnpm crossrank eval` command on examples/data/eval-sample/.');
  return command.trim().split(/\s+/).slice(2);
}

async function crossrank(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // `pnpm crossrank` is `node packages/cli/dist/cli.js`, run from the repository root.
  try {
    return { code: 0, ...(await run(process.execPath, [path.join('packages', 'cli', 'dist', 'cli.js'), ...args], { cwd: REPO })) };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('examples/data/eval-sample', () => {
  it('ships the candidates that make-candidates.ts writes from its passages and questions', () => {
    expect(readFileSync(path.join(SAMPLE, 'candidates.json'), 'utf8')).toBe(candidatesJson(SAMPLE));
  });

  it('judges every passage once, for a known question, with a TREC grade, and every question has an answer', () => {
    const ids = new Set(passages.map((p) => p.id));
    expect(ids.size).toBe(passages.length);
    expect(qrels.map((q) => q.docid).sort()).toEqual([...ids].sort());
    for (const { qid, grade } of qrels) {
      expect(qids).toContain(qid);
      expect([0, 1, 2, 3]).toContain(grade);
    }
    for (const qid of qids) expect(qrels.some((q) => q.qid === qid && q.grade === 3)).toBe(true);
  });

  it("runs the README's eval command with a generated model, and says its scores mean nothing", async () => {
    const args = readmeEvalArgs();
    expect(args.slice(0, 5)).toEqual(['eval', '--candidates', 'examples/data/eval-sample/candidates.json', '--qrels', 'examples/data/eval-sample/qrels.txt']);
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('eval-sample'), quantized: true });
    const { code, stdout, stderr } = await crossrank([...args, '--model', dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^8 judged queries, depth 100, relevant = grade >= 2, reranker: local ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(`));
    expect(stdout).toMatch(/^nDCG@10\s+0\.8150\s+\d\.\d{4}\s+[-+ ]\d\.\d{4}$/m);
    expect(stdout).toMatch(/^Reranked 68 documents in /m);
    expect(stdout).toMatch(/\nNote: this is a generated test model \(random weights\): its scores mean nothing/);
  });

  it('gives the BM25 figures its README states', async () => {
    const { code, stdout } = await crossrank(['eval', '--candidates', path.join(SAMPLE, 'candidates.json'), '--qrels', path.join(SAMPLE, 'qrels.txt'), '--backend', 'none', '--json']);
    expect(code).toBe(0);
    const { before } = JSON.parse(stdout) as { before: Record<string, number> };
    const readme = readFileSync(path.join(SAMPLE, 'README.md'), 'utf8');
    expect(readme).toContain(`nDCG@10 ${before['nDCG@10']!.toFixed(4)} and MRR@10 ${before['MRR@10']!.toFixed(4)}`);
  });
});
