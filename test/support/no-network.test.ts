// The jest environment (node-environment.cjs) lets tests reach loopback only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

it('a request to another host fails as offline, naming what was refused', async () => {
  const error = (await fetch('https://huggingface.co/api/models').catch((e: unknown) => e)) as TypeError;
  expect(error).toBeInstanceOf(TypeError);
  expect(error.message).toBe('fetch failed');
  expect((error.cause as Error).message).toBe('tests reach loopback only; refused https://huggingface.co');
});

it('a local fake still answers', async () => {
  const server = createServer((_, res) => res.end('ok')).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await response.text()).toBe('ok');
  } finally {
    server.close();
  }
});
