// TypeScript versions for the packed check. The workspace builds with 5.9 (ts-jest needs it); npm's
// current major is 7 (the native compiler), which removes `moduleResolution: node10`. Apps type-check
// crossrank's declarations with either, so both run: 5.9 under node10, node16, nodenext and bundler
// (in check.mjs), 7 under node16, nodenext and bundler (here), and 7 must reject node10 as removed, so
// the README's "5.9: four modes; 7: three" stays true.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TYPESCRIPT_7 = 'typescript@7.0.2';

/** Installs TypeScript 7 once into its own folder; returns its `tsc`. */
export function installTypeScript7(ctx) {
  const dir = join(ctx.work, 'typescript-7');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}');
  ctx.npmInstall(dir, [TYPESCRIPT_7]);
  return join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
}

/** One `tsc --noEmit` run, strict, skipLibCheck false: resolves { status, out }. `tsc` is the package's bin/tsc (a Node script in 5.9 and 7). */
export function runTsc(tsc, cwd, flags, files) {
  const args = ['--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck', 'false', '--target', 'es2022', '--types', 'node', ...flags, ...files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, ...args], { cwd });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (error) => resolve({ status: -1, out: String(error) }));
    child.on('close', (status) => resolve({ status, out }));
  });
}

/**
 * Errors in crossrank's declarations or the app's own code. Other libraries' declarations (llamaindex,
 * zod, ...) have errors of their own under skipLibCheck: false: counted, not ours to fix.
 */
export function ownErrors({ status, out }) {
  const errors = out.split('\n').filter((l) => /^\S.*\(\d+,\d+\): error TS/.test(l) || /^error TS\d+/.test(l));
  const ours = errors.filter((l) => !l.startsWith('node_modules/') || l.startsWith('node_modules/@crossrank/'));
  if (ours.length > 0 || (status !== 0 && errors.length === 0)) throw new Error(ours.join('\n') || out);
  return errors.length === 0 ? 'no errors at all' : `${errors.length} errors in other libraries' declarations`;
}

/** The TypeScript 7 modes, for an app whose types files check.mjs has already copied in (types.ts/.mts/.cts). */
export async function checkTypeScript7(ctx, { app, scenario, tsc7 }) {
  const modes = [
    ['node16', ['--module', 'node16', '--moduleResolution', 'node16'], ['types.mts', 'types.cts']],
    ['nodenext', ['--module', 'nodenext', '--moduleResolution', 'nodenext'], ['types.mts', 'types.cts']],
    ['bundler', ['--module', 'esnext', '--moduleResolution', 'bundler'], ['types.ts']],
  ];
  const runs = await Promise.all(modes.map(async ([mode, flags, files]) => ({ mode, result: await runTsc(tsc7, app, flags, files) })));
  for (const { mode, result } of runs) {
    ctx.check(`[${scenario.name}] TypeScript 7 tsc, skipLibCheck false, ${mode}: no error in crossrank's declarations or the app`, () => ownErrors(result));
  }
  const node10 = await runTsc(tsc7, app, ['--module', 'commonjs', '--moduleResolution', 'node10'], ['types.ts']);
  ctx.check(`[${scenario.name}] TypeScript 7 rejects moduleResolution node10 (removed in 7; 5.9 still takes it)`, () => {
    if (!/error TS5108: Option 'moduleResolution=node10' has been removed/.test(node10.out)) throw new Error(`expected TS5108, got:\n${node10.out}`);
    return 'TS5108';
  });
}
