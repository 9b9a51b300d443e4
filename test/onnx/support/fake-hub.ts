// Test helper (not exported): a Hugging Face hub on 127.0.0.1, answering
// `/{id}/resolve/{revision}/{file}` as huggingface.co does (huggingface_hub's `get_hf_file_metadata`
// and `http_get` are the reference): small files with a git-sha1 `ETag`, `.onnx` and `.onnx_data` files as LFS, whose
// HEAD redirects to a second server (another origin, like the CDN) with `X-Linked-Etag` (sha256)
// and `X-Linked-Size`; `X-Repo-Commit` on every answer; `Range` requests; `X-Error-Code` on errors.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FakeRepo {
  /** commit hash → file path in the repo → content. */
  commits: Record<string, Record<string, Buffer>>;
  /** branch or tag → commit. */
  refs: Record<string, string>;
  /** Requires `Authorization: Bearer <token>`. */
  token?: string;
}

export interface SeenRequest {
  method: string;
  url: string;
  host: 'hub' | 'cdn';
  authorization: string | undefined;
  range: string | undefined;
}

export interface FakeHub {
  endpoint: string;
  repos: Map<string, FakeRepo>;
  requests: SeenRequest[];
  /** While set, the CDN sends this many bytes of a body and then stalls (until `close`). */
  stallAfter: number | undefined;
  close(): Promise<void>;
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
export const gitSha1 = (data: Buffer) => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
/** What the hub stores with git LFS here: ONNX graphs and their external weights (`model.onnx_data`). */
export const isLfs = (file: string) => /\.onnx(_data)?$/.test(file);

/** A folder's files (recursively) as a repo commit. */
export function filesOf(folder: string, prefix = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) Object.assign(out, filesOf(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(full);
  }
  return out;
}

export async function startFakeHub(): Promise<FakeHub> {
  const repos = new Map<string, FakeRepo>();
  const requests: SeenRequest[] = [];
  const stalled = new Set<ServerResponse>();
  const blobs = new Map<string, Buffer>();
  let cdnOrigin = '';
  const hub: FakeHub = {
    endpoint: '',
    repos,
    requests,
    stallAfter: undefined,
    close: async () => {
      for (const res of stalled) res.destroy();
      await Promise.all([hubServer, cdnServer].map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
    },
  };

  const record = (req: IncomingMessage, host: 'hub' | 'cdn') =>
    requests.push({ method: req.method ?? '', url: req.url ?? '', host, authorization: req.headers.authorization, range: req.headers.range });

  const hubServer = createServer((req, res) => {
    record(req, 'hub');
    const match = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(req.url ?? '');
    const fail = (status: number, code: string, commit?: string) => {
      res.writeHead(status, { 'X-Error-Code': code, ...(commit ? { 'X-Repo-Commit': commit } : {}) });
      res.end(code);
    };
    if (!match) return fail(404, 'RepositoryNotFound');
    const [, id, rawRevision, rawFile] = match;
    const repo = repos.get(id!);
    if (!repo || (repo.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`)) return fail(401, 'RepositoryNotFound');
    const revision = decodeURIComponent(rawRevision!);
    const commit = repo.commits[revision] ? revision : repo.refs[revision];
    if (commit === undefined) return fail(404, 'RevisionNotFound');
    const file = rawFile!.split('/').map(decodeURIComponent).join('/');
    const content = repo.commits[commit]![file];
    if (content === undefined) return fail(404, 'EntryNotFound', commit);
    if (isLfs(file)) {
      const oid = sha256(content);
      blobs.set(oid, content);
      res.writeHead(302, {
        Location: `${cdnOrigin}/blobs/${oid}?X-Amz-Signature=secret`,
        'X-Repo-Commit': commit,
        'X-Linked-Etag': `"${oid}"`,
        'X-Linked-Size': String(content.length),
        ETag: `"${gitSha1(Buffer.from('pointer'))}"`,
      });
      return res.end();
    }
    send(req, res, content, { 'X-Repo-Commit': commit, ETag: `"${gitSha1(content)}"` });
  });

  const cdnServer = createServer((req, res) => {
    record(req, 'cdn');
    const oid = /^\/blobs\/([0-9a-f]{64})/.exec(req.url ?? '')?.[1];
    const content = oid ? blobs.get(oid) : undefined;
    if (!content) {
      res.writeHead(404);
      return res.end();
    }
    send(req, res, content, { ETag: `"${oid}"` });
  });

  function send(req: IncomingMessage, res: ServerResponse, content: Buffer, headers: Record<string, string>): void {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = content.subarray(start);
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Length': String(body.length),
      ...(range ? { 'Content-Range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    if (hub.stallAfter !== undefined && body.length > hub.stallAfter) {
      // Sends part of the body, then nothing more: the client waits until it is killed.
      stalled.add(res);
      res.write(body.subarray(0, hub.stallAfter));
      return;
    }
    res.end(body);
  }

  await Promise.all([hubServer, cdnServer].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  hub.endpoint = `http://127.0.0.1:${(hubServer.address() as AddressInfo).port}`;
  cdnOrigin = `http://127.0.0.1:${(cdnServer.address() as AddressInfo).port}`;
  return hub;
}
