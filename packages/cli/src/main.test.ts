import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import type { EvalArgs } from './args.js';
import type { CliIO, RerankerFactory } from './eval-command.js';
import { loadCandidates, loadQrels } from './load-inputs.js';
import { runCli } from './main.js';
import { OracleReranker, fixture } from './test-support.js';

function capture(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY, columns: 80 } };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** A factory that serves the oracle reranker and records what it was asked for. */
function oracleFactory() {
  const requests: EvalArgs[] = [];
  let disposed = 0;
  const factory: RerankerFactory = async (args) => {
    requests.push(args);
    const qrels = await loadQrels(fixture('qrels.txt'));
    const candidates = await loadCandidates({ candidates: fixture('candidates.json'), needTexts: true });
    return { reranker: new OracleReranker(candidates, qrels), label: 'oracle', dispose: () => void disposed++ };
  };
  return { factory, requests, disposed: () => disposed };
}

const deps = (createReranker: RerankerFactory) => ({ createReranker, version: '9.9.9', defaultModel: 'some/default-model' });
const evalArgs = ['eval', '--candidates', fixture('candidates.json'), '--qrels', fixture('qrels.txt')];

describe('runCli', () => {
  test('--json prints one JSON object with before/after metrics, throughput and skipped counts', async () => {
    const { factory, requests, disposed } = oracleFactory();
    const cap = capture();
    const code = await runCli([...evalArgs, '--json', '--k', '1,3'], cap.io, deps(factory));
    expect(code).toBe(0);
    expect(cap.stderr()).toBe('');
    const lines = cap.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const output = JSON.parse(lines[0]!);
    expect(output).toMatchObject({
      candidates: fixture('candidates.json'),
      qrels: fixture('qrels.txt'),
      reranker: 'oracle',
      depth: 100,
      relLevel: 2,
      queries: 2,
      metrics: ['nDCG@10', 'MRR@10', 'Recall@1', 'Recall@3'],
      skipped: { unjudged: 1, unretrieved: 1 },
      rerank: { documents: 10 },
    });
    expect(output.after['nDCG@10']).toBeCloseTo(1, 12);
    expect(output.before['MRR@10']).toBeCloseTo((1 / 2 + 1 / 3) / 2, 12);
    expect(output.perQuery.map((q: { qid: string }) => q.qid)).toEqual(['101', '102']);
    expect(output.rerank.queriesPerSecond).toBeGreaterThan(0);
    expect(requests.map((r) => r.backend)).toEqual(['local']);
    expect(disposed()).toBe(1);
  });

  test('prints a readable before/after table, with the run read from TREC + corpus + queries files', async () => {
    const { factory } = oracleFactory();
    const cap = capture();
    const code = await runCli(
      ['eval', '--candidates', fixture('run.trec'), '--corpus', fixture('corpus.tsv'), '--queries', fixture('queries.tsv')]
        .concat(['--qrels', fixture('qrels.txt'), '--k', '3']),
      cap.io,
      deps(factory),
    );
    expect(code).toBe(0);
    const text = cap.stdout();
    expect(text).toContain('2 judged queries, depth 100, relevant = grade >= 2, reranker: oracle');
    expect(text).toMatch(/^MRR@10\s+0\.4167\s+1\.0000\s+\+0\.5833$/m);
    expect(text).toMatch(/^Recall@3\s+0\.5000\s+1\.0000\s+\+0\.5000$/m);
    expect(text).toMatch(/^Reranked 10 documents in \d+\.\d\d s: [\d.]+ queries\/s, [\d.]+ documents\/s \(rerank time only\)\.$/m);
    expect(text).toContain('Not evaluated: 1 query without judgments, 1 judged query without candidates');
  });

  test("prints the reranker's note after the table, or on stderr with --json", async () => {
    const { factory } = oracleFactory();
    const withNote: RerankerFactory = async (args, io) => ({ ...(await factory(args, io)), note: 'scores mean nothing.' });
    const text = capture();
    expect(await runCli(evalArgs, text.io, deps(withNote))).toBe(0);
    expect(text.stdout()).toMatch(/rerank time only\)\.\n(.*\n)*\nNote: scores mean nothing\.\n$/);
    expect(text.stderr()).toBe('');
    const json = capture();
    expect(await runCli([...evalArgs, '--json'], json.io, deps(withNote))).toBe(0);
    expect(() => JSON.parse(json.stdout())).not.toThrow();
    expect(json.stderr()).toBe('Note: scores mean nothing.\n');
    const none = capture();
    expect(await runCli(evalArgs, none.io, deps(factory))).toBe(0);
    expect(none.stdout()).not.toContain('Note:');
  });

  test('--backend none scores the run without loading a reranker', async () => {
    const { factory, requests } = oracleFactory();
    const cap = capture();
    const code = await runCli(['eval', '--candidates', fixture('run.trec'), '--qrels', fixture('qrels.txt'), '--backend', 'none', '--json'], cap.io, deps(factory));
    expect(code).toBe(0);
    const output = JSON.parse(cap.stdout());
    expect(output).toMatchObject({ reranker: null, after: null, rerank: null, queries: 2 });
    expect(requests).toEqual([]);
    const text = capture();
    await runCli(['eval', '--candidates', fixture('run.trec'), '--qrels', fixture('qrels.txt'), '--backend', 'none'], text.io, deps(factory));
    expect(text.stdout()).toMatch(/no reranker\n\nmetric\s+run\nnDCG@10\s+0\.\d{4}\n/);
  });

  test('--limit evaluates only the first judged queries', async () => {
    const { factory } = oracleFactory();
    const cap = capture();
    await runCli([...evalArgs, '--limit', '1', '--json'], cap.io, deps(factory));
    expect(JSON.parse(cap.stdout()).perQuery.map((q: { qid: string }) => q.qid)).toEqual(['101']);
  });

  test('draws progress on a terminal stderr only, and never with --json', async () => {
    // 300 ms per query: the second query ends past the bar's 500 ms delay.
    const slow: RerankerFactory = async (args, io) => {
      const inner = await oracleFactory().factory(args, io);
      return { ...inner, reranker: { rerank: (q, d) => new Promise((r) => setTimeout(() => r(inner.reranker.rerank(q, d)), 300)) } };
    };
    const tty = capture(true);
    await runCli(evalArgs, tty.io, deps(slow));
    expect(tty.stderr()).toContain('2/2 queries');
    const json = capture(true);
    await runCli([...evalArgs, '--json'], json.io, deps(slow));
    expect(json.stderr()).toBe('');
  });

  test('help and version go to stdout with exit code 0', async () => {
    const { factory } = oracleFactory();
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const cap = capture();
      expect(await runCli(argv, cap.io, deps(factory))).toBe(0);
      expect(cap.stdout()).toContain('Usage: crossrank <command>');
    }
    for (const argv of [['eval', '--help'], ['help', 'eval']]) {
      const cap = capture();
      expect(await runCli(argv, cap.io, deps(factory))).toBe(0);
      expect(cap.stdout()).toContain('Usage: crossrank eval --candidates <file> --qrels <file>');
      expect(cap.stdout()).toContain('(default: some/default-model)');
    }
    const cap = capture();
    expect(await runCli(['--version'], cap.io, deps(factory))).toBe(0);
    expect(cap.stdout()).toBe('9.9.9\n');
  });

  test.each([
    ['no command', [], /Usage: crossrank <command>/],
    ['an unknown command', ['evaluate'], /^crossrank: Unknown command "evaluate"/],
    ['a bad option', ['eval', '--depth', '-3'], /^crossrank: /],
    ['a missing input file', ['eval', '--candidates', 'nope.json', '--qrels', fixture('qrels.txt')], /^crossrank: --candidates nope\.json: no such file\.\n$/],
  ])('exits with 2 and a message, no stack trace, for %s', async (_what, argv, message) => {
    const cap = capture();
    expect(await runCli(argv, cap.io, deps(oracleFactory().factory))).toBe(2);
    expect(cap.stderr()).toMatch(message);
    expect(cap.stderr()).not.toMatch(/\n\s+at /);
    expect(cap.stdout()).toBe('');
  });

  test('exits with 1 and the message for a bad data file or a failing backend', async () => {
    const noMatch = capture();
    const argv = ['eval', '--candidates', fixture('candidates.json'), '--qrels', fixture('run.trec')];
    expect(await runCli(argv, noMatch.io, deps(oracleFactory().factory))).toBe(1);
    expect(noMatch.stderr()).toMatch(/^crossrank: .*run\.trec:1: expected "qid 0 docid grade"/);

    const failing: RerankerFactory = async () => {
      throw new InvalidInputError('model folder has no onnx/ files.');
    };
    const cap = capture();
    expect(await runCli(evalArgs, cap.io, deps(failing))).toBe(1);
    expect(cap.stderr()).toBe('crossrank: model folder has no onnx/ files.\n');
  });

  test('keeps the stack trace for an unexpected error', async () => {
    const buggy: RerankerFactory = async () => ({
      label: 'buggy',
      reranker: {
        rerank: async () => {
          throw new TypeError('boom');
        },
      },
    });
    const cap = capture();
    expect(await runCli(evalArgs, cap.io, deps(buggy))).toBe(1);
    expect(cap.stderr()).toMatch(/^crossrank: unexpected error\nTypeError: boom\n\s+at /);
  });

  test('says so when no candidate query has judgments', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'crossrank-cli-')), 'qrels.txt');
    writeFileSync(other, '999 0 d1 1\n');
    const miss = capture();
    expect(await runCli(['eval', '--candidates', fixture('candidates.json'), '--qrels', other], miss.io, deps(oracleFactory().factory))).toBe(1);
    expect(miss.stderr()).toMatch(/None of the 3 queries in .*candidates\.json has judgments in .*qrels\.txt\. Check that both files use the same qids\./);
  });
});
