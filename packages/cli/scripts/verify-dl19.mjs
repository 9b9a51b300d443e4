#!/usr/bin/env node
// Checks `crossrank eval` against the published BM25 baseline of TREC DL 2019 (passage):
// nDCG@10 = 0.5058 from ../shared/data/trec-dl19 (not committed: MS MARCO passages may not be
// redistributed). Scores the run as is (`--backend none`), from both input forms: the JSON file with
// texts, and the TREC run with a corpus and queries written from that JSON into a temporary folder.
//   pnpm --filter @crossrank/cli build && pnpm --filter @crossrank/cli verify:dl19 [data-dir]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');
const dataDir = resolve(process.argv[2] ?? process.env.CROSSRANK_DL19_DIR ?? join(repoRoot, '../shared/data/trec-dl19'));
const cli = join(packageDir, 'dist/cli.js');
const EXPECTED_NDCG10 = '0.5058';

const files = {
  json: join(dataDir, 'bm25_top100_dl19.json'),
  run: join(dataDir, 'bm25_run_dl19.trec'),
  qrels: join(dataDir, 'qrels.dl19-passage.txt'),
};
for (const path of Object.values(files)) {
  if (!existsSync(path)) fail(`${path} not found: pass the trec-dl19 folder as an argument or in CROSSRANK_DL19_DIR.`);
}
if (!existsSync(cli)) fail(`${cli} not found: build first (pnpm --filter @crossrank/cli build).`);

// TSV texts for the TREC-run form; tabs and newlines inside passages would break TSV, so flatten them.
const tmp = mkdtempSync(join(tmpdir(), 'crossrank-dl19-'));
const corpus = new Map();
const queries = new Map();
for (const entry of JSON.parse(readFileSync(files.json, 'utf8'))) {
  for (const hit of entry.hits) {
    queries.set(String(hit.qid), entry.query);
    corpus.set(String(hit.docid), hit.content);
  }
}
const tsv = (map) => [...map].map(([id, text]) => `${id}\t${text.replace(/\s+/g, ' ')}\n`).join('');
writeFileSync(join(tmp, 'corpus.tsv'), tsv(corpus));
writeFileSync(join(tmp, 'queries.tsv'), tsv(queries));

const common = ['--qrels', files.qrels, '--backend', 'none', '--k', '10,100'];
const forms = {
  'JSON candidates': ['--candidates', files.json],
  'TREC run + corpus + queries': ['--candidates', files.run, '--corpus', join(tmp, 'corpus.tsv'), '--queries', join(tmp, 'queries.tsv')],
};
let ok = true;
const results = [];
try {
  for (const [name, inputs] of Object.entries(forms)) {
    const argv = [cli, 'eval', ...inputs, ...common];
    console.log(`$ node ${argv.map((a) => a.replace(repoRoot + '/', '')).join(' ')}`);
    console.log(execFileSync(process.execPath, [...argv]).toString().trimEnd());
    const output = JSON.parse(execFileSync(process.execPath, [...argv, '--json']).toString());
    const figures = Object.fromEntries(output.metrics.map((m) => [m, output.before[m].toFixed(4)]));
    results.push(figures);
    const pass = figures['nDCG@10'] === EXPECTED_NDCG10;
    ok &&= pass;
    console.log(`${pass ? 'OK  ' : 'FAIL'} ${name}: ${output.queries} queries, nDCG@10 ${figures['nDCG@10']} (expected ${EXPECTED_NDCG10})\n`);
  }
  if (JSON.stringify(results[0]) !== JSON.stringify(results[1])) {
    ok = false;
    console.log('FAIL the two input forms disagree.');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(ok ? 'DL19 BM25 verified.' : 'DL19 BM25 verification FAILED.');
process.exitCode = ok ? 0 : 1;

function fail(message) {
  console.error(`verify:dl19: ${message}`);
  process.exit(1);
}
