// The engine as `npm i @crossrank/onnx` gets it (issue 19's table): its install size alone, its import
// time, and a model loaded by hub id, offline, from a Hugging Face hub cache laid out the way Python's
// huggingface_hub writes it (blobs named by sha256, relative snapshot links, refs/main).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const INSTALL_GOAL_MB = 310;

/** Copies `folder` into `<cache>/models--<org>--<name>` as huggingface_hub lays out a download of it. */
function pythonLayoutCache(cache, id, folder) {
  const repo = join(cache, `models--${id.replace('/', '--')}`);
  const commit = createHash('sha1').update(id).digest('hex');
  const snapshot = join(repo, 'snapshots', commit);
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  mkdirSync(join(repo, 'refs'), { recursive: true });
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const bytes = readFileSync(path);
      const blob = join(repo, 'blobs', createHash('sha256').update(bytes).digest('hex'));
      writeFileSync(blob, bytes);
      const link = join(snapshot, relative(folder, path));
      mkdirSync(join(link, '..'), { recursive: true });
      symlinkSync(relative(join(link, '..'), blob), link);
    }
  };
  walk(folder);
  writeFileSync(join(repo, 'refs', 'main'), commit);
  return commit;
}

const LOAD_SCRIPT = `
import { CrossEncoder } from '@crossrank/onnx';
const started = performance.now();
const encoder = await CrossEncoder.load(process.env.CROSSRANK_MODEL);
const loadMs = performance.now() - started;
const top = await encoder.rerank('docker networking', ['bridge networks connect docker containers', 'python lists', 'docker overlay networking'], { topN: 2 });
await encoder.dispose();
console.log(JSON.stringify({ loadMs, top }));
`;

/**
 * @param {object} ctx  check.mjs's shared context, plus `model` (a generated model folder)
 */
export function engineChecks(ctx, { model }) {
  const { check, sh, npmInstall, duBytes, mb, figures, tarballs, work, ENV } = ctx;
  const app = join(work, 'engine-only');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"private":true,"type":"module"}');
  let size;
  check(`[engine] npm install @crossrank/onnx alone (its tarball and core's; install scripts skipped) <= ${INSTALL_GOAL_MB} MB`, () => {
    npmInstall(app, [tarballs.core, tarballs.onnx]);
    size = duBytes(join(app, 'node_modules'));
    const tree = sh('npm', ['ls', '--all', '--parseable'], app);
    for (const banned of ['@huggingface/transformers', 'onnxruntime-web', 'sharp']) {
      if (tree.split('\n').some((line) => line.endsWith(`/node_modules/${banned}`))) throw new Error(`${banned} is in the engine's dependency tree`);
    }
    if (size > INSTALL_GOAL_MB * 1e6) throw new Error(`${mb(size)} installed`);
    return mb(size);
  });
  if (size === undefined) return;

  const runs = [];
  for (let i = 0; i < 6; i++) {
    const t = sh(process.execPath, ['--input-type=module', '-e', "const t=performance.now(); await import('@crossrank/onnx'); console.log(performance.now()-t);"], app);
    if (i > 0) runs.push(Number(t.trim())); // the first run warms the file cache
  }
  runs.sort((a, b) => a - b);
  const importMs = runs[2];

  writeFileSync(join(app, 'load.mjs'), LOAD_SCRIPT);
  const cache = join(work, 'hf-hub-cache');
  const id = 'crossrank-ci/tiny-reranker';
  let byFolder;
  let byId;
  check('[engine] a model loads by hub id, offline (HF_HUB_OFFLINE=1), from a hub cache in Python\'s layout, and scores as its folder does', () => {
    const commit = pythonLayoutCache(cache, id, model);
    byFolder = JSON.parse(sh(process.execPath, ['load.mjs'], app, { ...ENV, CROSSRANK_MODEL: model }).trim().split('\n').at(-1));
    // HF_HUB_CACHE is what Python reads; nothing else points crossrank at it.
    const env = { ...ENV, CROSSRANK_MODEL: id, HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '1' };
    delete env.CROSSRANK_CACHE_DIR;
    byId = JSON.parse(sh(process.execPath, ['load.mjs'], app, env).trim().split('\n').at(-1));
    if (JSON.stringify(byId.top) !== JSON.stringify(byFolder.top)) throw new Error(`by id ${JSON.stringify(byId.top)} != by folder ${JSON.stringify(byFolder.top)}`);
    return `snapshot ${commit.slice(0, 8)}`;
  });
  figures.push(`npm i @crossrank/onnx (linux x64, install scripts skipped): ${mb(size)} (goal <= ${INSTALL_GOAL_MB} MB)`);
  figures.push(`import('@crossrank/onnx') alone, node20, median of 5 warm runs: ${importMs.toFixed(0)} ms (goal <= 50 ms)`);
  if (byId) {
    figures.push(
      `first CrossEncoder.load of a cached model (generated, default options, node20): by hub id from a Python-layout cache ${byId.loadMs.toFixed(0)} ms, by folder ${byFolder.loadMs.toFixed(0)} ms`,
    );
  } else {
    figures.push('hub id loaded offline from a Python-layout cache: FAILS');
  }
}
