import { DisposeGuard } from './dispose-guard';
import { DisposedError } from './errors';

it('lets a call under way finish, refuses later calls with DisposedError, and releases once after the calls', async () => {
  const guard = new DisposeGuard('TestReranker');
  const order: string[] = [];
  let finish!: () => void;
  const running = guard.run(() => new Promise<string>((resolve) => (finish = () => resolve('done'))).then((v) => (order.push('call'), v)));
  const release = jest.fn(async () => void order.push('release'));
  const disposing = guard.dispose(release);
  await expect(guard.run(async () => 'late')).rejects.toThrow(DisposedError);
  await expect(guard.run(async () => 'late')).rejects.toThrow(/TestReranker was disposed/);
  finish();
  await expect(running).resolves.toBe('done');
  await disposing;
  await guard.dispose(release);
  expect(order).toEqual(['call', 'release']);
  expect(release).toHaveBeenCalledTimes(1);
});

it('a failed call under way does not stop dispose', async () => {
  const guard = new DisposeGuard('TestReranker');
  const failing = guard.run(async () => {
    throw new Error('boom');
  });
  const release = jest.fn(async () => undefined);
  await Promise.all([expect(failing).rejects.toThrow('boom'), guard.dispose(release)]);
  expect(release).toHaveBeenCalledTimes(1);
});
