import { ModelNotFoundError } from '../errors.js';

/** What a `HEAD {endpoint}/{id}/resolve/{revision}/{file}` says about one file (huggingface_hub's `HfFileMetadata`). */
export interface RemoteFile {
  /** The commit the revision resolved to (`X-Repo-Commit`). */
  commit: string;
  /** The blob's name: `X-Linked-Etag` (LFS sha256) else `ETag` (git-sha1), without quotes or `W/`. */
  etag: string;
  /** Bytes, when the server says (`X-Linked-Size`, else `Content-Length`). */
  size: number | undefined;
  /** Where to GET it: the CDN an LFS file redirects to, else the resolve URL. */
  url: string;
}

export type HeadResult = { kind: 'found'; file: RemoteFile } | { kind: 'missing'; commit: string | undefined };

const MAX_REDIRECTS = 10;

/** `{endpoint}/{id}/resolve/{revision}/{file}`, the revision quoted whole as huggingface_hub's `hf_hub_url` does. */
export function resolveUrl(endpoint: string, id: string, revision: string, file: string): string {
  return `${endpoint}/${id}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Fetches `url`, following redirects by hand so the token goes only to the hub's own origin (a CDN
 * an LFS file redirects to gets no `Authorization`). With `stopAtOtherOrigin` (the HEAD request) a
 * redirect to another origin is returned as is: its headers are the file's metadata.
 */
export async function hubFetch(
  url: string,
  init: { method: 'HEAD' | 'GET'; token: string | undefined; endpoint: string; headers?: Record<string, string>; stopAtOtherOrigin?: boolean },
): Promise<{ response: Response; url: string }> {
  const origin = new URL(init.endpoint).origin;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sameOrigin = new URL(current).origin === origin;
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': 'crossrank', ...init.headers };
    if (init.token !== undefined && sameOrigin) headers['Authorization'] = `Bearer ${init.token}`;
    const response = await fetch(current, { method: init.method, headers, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return { response, url: current };
    const next = new URL(location, current).toString();
    if (init.stopAtOtherOrigin && new URL(next).origin !== origin) return { response, url: next };
    await response.body?.cancel();
    current = next;
  }
  throw new ModelNotFoundError(`${redact(url)} redirected more than ${MAX_REDIRECTS} times.`, [redact(url)]);
}

/** Reads a HEAD response the way huggingface_hub's `get_hf_file_metadata` does. */
export function readHead(response: Response, downloadUrl: string): HeadResult | undefined {
  const commit = response.headers.get('x-repo-commit') ?? undefined;
  if (response.status === 404 && response.headers.get('x-error-code') !== 'RepositoryNotFound' && response.headers.get('x-error-code') !== 'RevisionNotFound') {
    return { kind: 'missing', commit };
  }
  if (!(response.ok || (response.status >= 300 && response.status < 400))) return undefined;
  const etag = normalizeEtag(response.headers.get('x-linked-etag') ?? response.headers.get('etag'));
  if (commit === undefined || etag === undefined) return undefined;
  const sizeHeader = response.headers.get('x-linked-size') ?? response.headers.get('content-length');
  const size = sizeHeader !== null && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined;
  return { kind: 'found', file: { commit, etag, size, url: downloadUrl } };
}

/** `W/"abc"` → `abc`. An etag that could escape `blobs/` is refused. */
function normalizeEtag(value: string | null): string | undefined {
  if (value === null) return undefined;
  const etag = value.replace(/^W\//, '').replace(/^"|"$/g, '');
  return /^[\w.-]+$/.test(etag) && etag !== '.' && etag !== '..' ? etag : undefined;
}

/** A URL without query string or credentials, fit for an error message (signed CDN URLs carry secrets). */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}
