// Class names reach users (error names, FallbackReranker names, logs): the bundler must not rename
// any exported class (esbuild turned a self-referencing class into `_CrossEncoder`).
import { execFileSync } from 'node:child_process';

const ENTRIES = ['@crossrank/core', '@crossrank/langchain', '@crossrank/llamaindex'];

function isClass(value: unknown): value is new (...args: never[]) => unknown {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

describe.each(ENTRIES)('%s', (entry) => {
  test('every exported class is named as it is exported (CommonJS build)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(entry) as Record<string, unknown>;
    const classes = Object.entries(exported).filter(([, value]) => isClass(value));
    expect(classes.length).toBeGreaterThan(0);
    for (const [name, value] of classes) expect(`${name}: ${(value as { name: string }).name}`).toBe(`${name}: ${name}`);
  });

  test('every exported class is named as it is exported (ES module build)', () => {
    const script = `const m = await import(${JSON.stringify(entry)});
      const bad = Object.entries(m).filter(([k, v]) => typeof v === 'function' && /^class\\b/.test(Function.prototype.toString.call(v)) && v.name !== k);
      console.log(JSON.stringify(bad.map(([k, v]) => k + ' is named ' + v.name)));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: __dirname, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
