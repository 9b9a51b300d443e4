// The root package's example scripts, run through pnpm as users run them: a failing example ends
// in pnpm's one `ELIFECYCLE` line, not one per nested pnpm (a `pnpm run` inside a script) nor
// `ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL` (a `--filter` run).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function pnpm(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    for (const key of ['OPENAI_API_KEY', 'CROSSRANK_DEBUG', 'INIT_CWD', 'npm_lifecycle_event', 'npm_lifecycle_script']) delete env[key];
    const child = spawn('pnpm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

it('root scripts run examples and tools without a nested `pnpm run` or `--filter` run', () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['demo', 'langchain', 'llamaindex', 'bench']) {
    expect(scripts[name]).toMatch(/&& pnpm -C \S+ exec tsx \S+\.ts$/);
  }
});

it.each(['demo', 'llamaindex'])('`pnpm %s --model <missing folder>` explains the problem and ends in one ELIFECYCLE line', async (script) => {
  const missing = path.join(os.tmpdir(), 'crossrank-no-such-model-folder');
  const { code, output } = await pnpm([script, '--model', missing]);
  expect(code).toBe(1);
  expect(output).toContain(`Could not load the model folder ${missing}.`);
  expect(output.match(/ELIFECYCLE/g)).toHaveLength(1);
  expect(output).not.toContain('ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL');
});
