// The two packages the scenarios in check.mjs do not install as an app would: @crossrank/ai-sdk (ESM
// import and require() on Node 20 and 22, rerank() from `ai` on a generated model, a strict type
// check with TypeScript 5.9 and 7) and @crossrank/cli (`crossrank --help` and `crossrank eval` on the
// repository's judged sample, from the installed bin). Also measures what the install notes in the
// README state: which install scripts npm 11 leaves unapproved, and onnxruntime-node's size.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownErrors, runTsc } from './typescript.mjs';

export const AI = 'ai@7.0.173';
export const TYPES_JSON_SCHEMA = '@types/json-schema@^7.0.15';
/** Install scripts the README says are safe to leave unapproved (npm 11 blocks them by default). */
export const SKIPPABLE_INSTALL_SCRIPTS = ['onnxruntime-node', 'protobufjs'];
/** The README's figure for onnxruntime-node unpacked (linux x64): "about 300 MB". */
const ORT_SIZE_RANGE = [250e6, 350e6];

/** Packs @crossrank/ai-sdk (not in check.mjs's PACKAGES: the scenarios there install every package in it) and checks the tarball. */
export function packAiSdk(ctx, tools) {
  const { check, sh, tarballs } = ctx;
  const tarDir = join(ctx.work, 'tarballs');
  check('pnpm pack @crossrank/ai-sdk', () => {
    const out = sh('pnpm', ['pack', '--pack-destination', tarDir], join(ctx.ROOT, 'packages', 'ai-sdk')).trim().split('\n').at(-1);
    tarballs['ai-sdk'] = out.startsWith('/') ? out : join(tarDir, out.split('/').at(-1));
    if (!existsSync(tarballs['ai-sdk'])) throw new Error(`no tarball: ${out}`);
    const pkg = JSON.parse(sh('tar', ['xzOf', tarballs['ai-sdk'], 'package/package.json'], ctx.work));
    if (JSON.stringify(pkg).includes('workspace:')) throw new Error('a workspace: range leaked into the tarball');
    return `peer @crossrank/onnx ${pkg.peerDependencies?.['@crossrank/onnx']}`;
  });
  if (!tarballs['ai-sdk']) return;
  check('ai-sdk: publint', () => sh(join(tools, 'node_modules', '.bin', 'publint'), ['--strict', tarballs['ai-sdk']], ctx.work).trim().split('\n').at(-1));
  // ESM only, like `ai` 7: the esm-only profile leaves out node10 and node16 from CommonJS.
  check('ai-sdk: arethetypeswrong --profile esm-only', () => {
    const lines = sh(join(tools, 'node_modules', '.bin', 'attw'), ['--no-color', '--profile', 'esm-only', tarballs['ai-sdk']], ctx.work).split('\n');
    return lines.find((l) => /problem/i.test(l))?.trim() ?? lines[0];
  });
}

export async function checkAiSdkAndCli(ctx, { tsc7 }) {
  const { work, tarballs, check, figures } = ctx;
  if (!tarballs['ai-sdk']) return;
  const app = join(work, 'app-ai-sdk');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app-ai-sdk', private: true }));
  for (const f of ['ai-sdk-esm.mjs', 'ai-sdk-require.cjs', 'types-ai-sdk.mts']) cpSync(join(ctx.HERE, f), join(app, f));

  let installed = false;
  let installLog = '';
  check('[ai-sdk + cli] npm install the tarballs (core, onnx, testing, ai-sdk, api, cli) + ai 7', () => {
    const specs = ['core', 'onnx', 'testing', 'ai-sdk', 'api', 'cli'].map((n) => tarballs[n]).concat([AI, ctx.VERSIONS.typesNode, TYPES_JSON_SCHEMA]);
    const run = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: app, env: ctx.ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
    installLog = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(installLog);
    installed = true;
    return ctx.mb(ctx.duBytes(join(app, 'node_modules')));
  });
  if (!installed) return;

  check('[ai-sdk + cli] the install scripts npm leaves unapproved are only the ones the README calls safe to skip', () => {
    const listed = [...installLog.matchAll(/install-scripts\s+(@?[^@\s]+)@\S+ \((?:pre|post)?install/g)].map((m) => m[1]);
    const unexpected = listed.filter((name) => !SKIPPABLE_INSTALL_SCRIPTS.includes(name));
    if (unexpected.length > 0) throw new Error(`not covered by the README: ${unexpected.join(', ')}`);
    figures.push(`npm ${spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim()} unapproved install scripts: ${[...new Set(listed)].join(', ') || 'none (scripts allowed, or npm < 11)'}`);
    return listed.length === 0 ? 'none listed' : [...new Set(listed)].join(', ');
  });

  check('[ai-sdk + cli] `npm install-scripts deny onnxruntime-node protobufjs` (the README\'s advice) leaves nothing unreviewed', () => {
    ctx.sh('npm', ['install-scripts', 'deny', ...SKIPPABLE_INSTALL_SCRIPTS], app);
    const out = ctx.sh('npm', ['install-scripts', 'ls'], app);
    if (!/No packages with unreviewed install scripts/.test(out)) throw new Error(out);
    return out.trim();
  });

  check('[ai-sdk + cli] onnxruntime-node unpacked size matches the README (about 300 MB)', () => {
    const size = ctx.duBytes(join(app, 'node_modules', 'onnxruntime-node'));
    figures.push(`onnxruntime-node unpacked: ${ctx.mb(size)}`);
    if (size < ORT_SIZE_RANGE[0] || size > ORT_SIZE_RANGE[1]) throw new Error(`${ctx.mb(size)}: update the README's install note`);
    return ctx.mb(size);
  });

  const model = join(app, 'model');
  const env = { ...ctx.ENV, CROSSRANK_MODEL: model };
  check('[ai-sdk + cli] generate a test model with @crossrank/testing', () => {
    ctx.sh(process.execPath, ['-e', `require('@crossrank/testing').createTestCrossEncoder({ dir: ${JSON.stringify(model)} }).then((m) => console.log(m.files.length + ' files'))`], app);
  });
  const nodes = [['node20', process.execPath], ...(ctx.node22 && existsSync(ctx.node22) ? [['node22', ctx.node22]] : [])];
  for (const [label, node] of nodes) {
    for (const script of ['ai-sdk-esm.mjs', 'ai-sdk-require.cjs']) {
      check(`[ai-sdk + cli] ${label} ${script}`, () => {
        const run = spawnSync(node, [script], { cwd: app, env, encoding: 'utf8', timeout: 180000 });
        const line = run.stdout.split('\n').find((l) => l.startsWith('ok '));
        if (run.status !== 0 || !line) throw new Error(`exit ${run.status ?? run.signal}\n${run.stdout}${run.stderr}`);
        return line.slice(3);
      });
    }
  }

  const bin = join(app, 'node_modules', '.bin', 'crossrank');
  check('[ai-sdk + cli] crossrank --help from the installed bin', () => {
    const out = ctx.sh(bin, ['--help'], app, env);
    if (!/crossrank <command>/.test(out) || !/eval/.test(out)) throw new Error(out);
    return out.split('\n')[0];
  });
  check('[ai-sdk + cli] crossrank eval on examples/data/eval-sample with a generated model', () => {
    const sample = join(ctx.ROOT, 'examples', 'data', 'eval-sample');
    const out = ctx.sh(bin, ['eval', '--candidates', join(sample, 'candidates.json'), '--qrels', join(sample, 'qrels.txt'), '--model', model, '--local-files-only', '--json'], app, env);
    const report = JSON.parse(out);
    if (!report.before || !report.after) throw new Error(`no before/after metrics in ${out.slice(0, 400)}`);
    return `nDCG@10 before ${report.before['nDCG@10']?.toFixed?.(3)}, after ${report.after['nDCG@10']?.toFixed?.(3)} (random weights)`;
  });

  const versions = [['TypeScript 5.9', ctx.TSC], ...(tsc7 ? [['TypeScript 7', tsc7]] : [])];
  const modes = [
    ['nodenext', ['--module', 'nodenext', '--moduleResolution', 'nodenext']],
    ['bundler', ['--module', 'esnext', '--moduleResolution', 'bundler']],
  ];
  const runs = await Promise.all(
    versions.flatMap(([version, tsc]) => modes.map(async ([mode, flags]) => ({ version, mode, result: await runTsc(tsc, app, flags, ['types-ai-sdk.mts']) }))),
  );
  for (const { version, mode, result } of runs) {
    check(`[ai-sdk + cli] ${version} tsc, strict AI SDK app with @types/json-schema, skipLibCheck false, ${mode}`, () => ownErrors(result));
  }
}
