import type { IncomingMessage } from 'node:http';
import { RequestRefused } from './limits.js';

/**
 * Reads a JSON body of at most `maxBytes`: a declared `Content-Length` over the limit is refused before
 * reading, and a body that grows past it is cut off, so a client cannot make the server buffer more.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const refuse = () =>
    new RequestRefused(413, `The request body is larger than maxBodyBytes ${maxBytes}. Send fewer or shorter documents per request.`, {
      limit: 'maxBodyBytes',
      max: maxBytes,
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw refuse();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw refuse();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestRefused(400, 'The body is not valid JSON.');
  }
}
