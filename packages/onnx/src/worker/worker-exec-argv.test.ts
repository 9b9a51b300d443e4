import type { Worker } from 'node:worker_threads';
import { workerExecArgv } from './worker-exec-argv.js';

describe('workerExecArgv', () => {
  it('inherits everything when no flag is about the main script', () => {
    expect(workerExecArgv([])).toBeUndefined();
    expect(workerExecArgv(['--max-old-space-size=300', '--enable-source-maps', '--conditions', 'dev', '--import=tsx'])).toBeUndefined();
  });

  it.each([
    [['--input-type=module', '-e', 'code'], []],
    [['--input-type', 'module', '--eval', 'code'], []],
    [['--input-type=module'], []],
    [['-p', '-1', '--enable-source-maps'], ['--enable-source-maps']],
    [['--print', 'x', '--no-warnings'], ['--no-warnings']],
    [['--check'], []],
    [['-c', '--interactive', '-i'], []],
    [['--experimental-test-isolation=none', '--test', '--conditions=dev'], ['--conditions=dev']],
    [['--test-name-pattern', 'a b', '--test-only', '--test-reporter=spec', '--experimental-test-coverage'], []],
    [['--watch', '--watch-path', 'src', '--watch-preserve-output', '--import=tsx'], ['--import=tsx']],
  ])('drops the main script flags of %j', (execArgv, expected) => {
    const input = [...execArgv];
    expect(workerExecArgv(input)).toEqual(expected);
    expect(input).toEqual(execArgv);
  });
});

describe('withWorkerFlags', () => {
  // A fresh module per test: it remembers the flags that worked for the process.
  const load = () => {
    let mod!: typeof import('./worker-exec-argv.js');
    jest.isolateModules(() => (mod = require('./worker-exec-argv.js')));
    return mod;
  };
  const fakeWorker = {} as Worker;
  const realExecArgv = process.execArgv;
  afterEach(() => (process.execArgv = realExecArgv));

  it('passes no execArgv (Node inherits) when nothing needs dropping', () => {
    process.execArgv = ['--max-old-space-size=300'];
    const calls: unknown[] = [];
    expect(load().withWorkerFlags((options) => (calls.push(options), fakeWorker))).toBe(fakeWorker);
    expect(calls).toEqual([{}]);
  });

  it('drops the process-wide flags a worker rejects one by one, then remembers what worked', () => {
    process.execArgv = ['--input-type=module', '--title', 'app', '--expose-gc', '--enable-source-maps', '-e', 'code'];
    const calls: unknown[] = [];
    const create = (options: { execArgv?: string[] | undefined }) => {
      calls.push(options.execArgv);
      const bad = options.execArgv?.find((flag) => flag === '--title' || flag === '--expose-gc');
      if (bad) throw Object.assign(new Error(`Initiated Worker with invalid execArgv flags: ${bad}`), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
      return fakeWorker;
    };
    const { withWorkerFlags } = load();
    expect(withWorkerFlags(create)).toBe(fakeWorker);
    expect(calls).toEqual([['--title', 'app', '--expose-gc', '--enable-source-maps'], ['--expose-gc', '--enable-source-maps'], ['--enable-source-maps']]);
    withWorkerFlags(create);
    expect(calls.slice(3)).toEqual([['--enable-source-maps']]);
  });

  it('rethrows any other error', () => {
    process.execArgv = ['--input-type=module'];
    const error = Object.assign(new Error('Initiated Worker with invalid execArgv flags: --unknown'), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
    expect(() => load().withWorkerFlags(() => { throw error; })).toThrow(error);
    expect(() => load().withWorkerFlags(() => { throw new RangeError('other'); })).toThrow(RangeError);
  });
});
