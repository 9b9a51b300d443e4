import { DisposedError } from '@crossrank/core';
import { type CrossEncoder } from '@crossrank/onnx';
import { describe, expect, it } from 'vitest';
import { LazyCrossEncoder } from './lazy-cross-encoder.js';

const disposals = new WeakMap<object, number>();

/** Stands in for a loaded model: the loader only hands it out and disposes it. */
function fakeEncoder(): CrossEncoder {
  const encoder = { dispose: async () => void disposals.set(encoder, (disposals.get(encoder) ?? 0) + 1) };
  return encoder as unknown as CrossEncoder;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('LazyCrossEncoder', () => {
  it('starts one load for calls that race, and none after it succeeded', async () => {
    const gate = deferred<CrossEncoder>();
    let loads = 0;
    const lazy = new LazyCrossEncoder(() => (loads++, gate.promise));
    const calls = [lazy.load(), lazy.load(), lazy.load()];
    const encoder = fakeEncoder();
    gate.resolve(encoder);
    expect(await Promise.all(calls)).toEqual([encoder, encoder, encoder]);
    expect(await lazy.load()).toBe(encoder);
    expect(loads).toBe(1);
    expect(lazy.current).toBe(encoder);
  });

  it('forgets a failed load: every waiting call sees the failure, the next call loads again', async () => {
    const outcomes = [deferred<CrossEncoder>(), deferred<CrossEncoder>()];
    let loads = 0;
    const lazy = new LazyCrossEncoder(() => outcomes[loads++]!.promise);
    const first = [lazy.load(), lazy.load()];
    outcomes[0]!.reject(new Error('offline'));
    for (const call of first) await expect(call).rejects.toThrow('offline');
    const encoder = fakeEncoder();
    const second = lazy.load();
    outcomes[1]!.resolve(encoder);
    expect(await second).toBe(encoder);
    expect(loads).toBe(2);
  });

  it('a load function that throws synchronously is a rejected load, also forgotten', async () => {
    let loads = 0;
    const lazy = new LazyCrossEncoder(() => {
      loads++;
      if (loads === 1) throw new Error('sync');
      return Promise.resolve(fakeEncoder());
    });
    await expect(lazy.load()).rejects.toThrow('sync');
    await expect(lazy.load()).resolves.toBeDefined();
  });

  it("an abort rejects only the aborted call; the load carries on for the others", async () => {
    const gate = deferred<CrossEncoder>();
    const lazy = new LazyCrossEncoder(() => gate.promise);
    const controller = new AbortController();
    const aborted = lazy.load(controller.signal);
    const other = lazy.load();
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    const encoder = fakeEncoder();
    gate.resolve(encoder);
    expect(await other).toBe(encoder);
  });

  it('dispose releases the loaded model once and refuses later loads; a load under way is released when it lands', async () => {
    const encoder = fakeEncoder();
    const lazy = new LazyCrossEncoder(() => Promise.resolve(encoder));
    await lazy.load();
    await lazy.dispose();
    await lazy.dispose();
    expect(disposals.get(encoder)).toBe(1);
    await expect(lazy.load()).rejects.toBeInstanceOf(DisposedError);

    const gate = deferred<CrossEncoder>();
    const late = fakeEncoder();
    const pending = new LazyCrossEncoder(() => gate.promise);
    void pending.load().catch(() => undefined);
    const disposing = pending.dispose();
    gate.resolve(late);
    await disposing;
    expect(disposals.get(late)).toBe(1);
  });
});
