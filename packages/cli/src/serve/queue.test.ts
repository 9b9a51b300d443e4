import { AdmissionQueue } from './queue.js';

test('grants `concurrency` slots at once, queues up to maxQueue, refuses the next', async () => {
  const queue = new AdmissionQueue(2, 1);
  const a = await queue.acquire()!;
  const b = await queue.acquire()!;
  const waiting = queue.acquire()!;
  expect([queue.active, queue.depth, queue.full]).toEqual([2, 1, true]);
  expect(queue.acquire()).toBeUndefined();

  let granted = false;
  void waiting.then(() => (granted = true));
  await Promise.resolve();
  expect(granted).toBe(false);
  a();
  a(); // a second release of the same slot is a no-op
  const c = await waiting;
  expect([queue.active, queue.depth, queue.full]).toEqual([2, 0, false]);
  b();
  c();
  expect(queue.active).toBe(0);
});

test('a waiter whose signal fires leaves the queue and is never granted', async () => {
  const queue = new AdmissionQueue(1, 2);
  const held = await queue.acquire()!;
  const controller = new AbortController();
  const leaving = queue.acquire(controller.signal)!;
  const staying = queue.acquire()!;
  controller.abort(new Error('gone'));
  await expect(leaving).rejects.toThrow('gone');
  expect(queue.depth).toBe(1);
  held();
  const next = await staying;
  expect(queue.active).toBe(1);
  next();
});

test('Retry-After grows with the queue ahead, from the observed time a slot is held, at least 1 s', async () => {
  const queue = new AdmissionQueue(1, 10);
  expect(queue.retryAfterSeconds()).toBe(1);
  const started = performance.now();
  const slot = await queue.acquire()!;
  await new Promise((resolve) => setTimeout(resolve, 1100));
  slot();
  const heldS = (performance.now() - started) / 1000; // >= 1.1 s, more on a busy machine
  // One request's time and nobody waiting: that time, rounded up to whole seconds.
  expect(queue.retryAfterSeconds()).toBeGreaterThanOrEqual(2);
  expect(queue.retryAfterSeconds()).toBeLessThanOrEqual(Math.ceil(heldS));
  const held = await queue.acquire()!;
  const waiters = [queue.acquire()!, queue.acquire()!];
  // Two waiting plus the refused one: about three requests' time.
  expect(queue.retryAfterSeconds()).toBeGreaterThanOrEqual(Math.ceil(3 * 1.1));
  expect(queue.retryAfterSeconds()).toBeLessThanOrEqual(Math.ceil(3 * heldS));
  held();
  for (const waiter of waiters) (await waiter)();
});
