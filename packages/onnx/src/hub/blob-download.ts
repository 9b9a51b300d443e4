import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { open } from 'node:fs/promises';
import { ModelFormatError, ModelNotFoundError } from '../errors.js';
import { withFileLock } from './file-lock.js';
import { hubFetch, redact, type RemoteFile } from './hub-http.js';

export interface BlobDownload {
  remote: RemoteFile;
  /** `blobs/<etag>`: written as `blobs/<etag>.incomplete`, renamed when complete and verified. */
  blob: string;
  lock: string;
  token: string | undefined;
  endpoint: string;
  /** Bytes on disk so far (resumed bytes included) and the total when known. */
  onBytes?: (loaded: number, total: number | undefined) => void;
}

/**
 * Downloads one blob as huggingface_hub does: into `<blob>.incomplete`, resumed with a `Range`
 * request when an earlier process was killed part way, then renamed to `<blob>`. Only a complete
 * file gets the blob's name, and only after its bytes hash to the etag (sha256 for LFS files,
 * git's blob sha1 for the rest), so a killed or corrupted download is never loaded as a model.
 * One process at a time per blob (a lock file); the others wait and then find the blob there.
 */
export async function downloadBlob(job: BlobDownload): Promise<void> {
  mkdirSync(path.dirname(job.blob), { recursive: true });
  await withFileLock(job.lock, async () => {
    if (existsSync(job.blob)) return;
    const incomplete = `${job.blob}.incomplete`;
    const size = job.remote.size;
    let start = existsSync(incomplete) ? statSync(incomplete).size : 0;
    if (size !== undefined && start > size) start = 0;
    if (size === undefined || start < size) {
      start = await fetchInto(job, incomplete, start);
    }
    await verify(job, incomplete);
    renameSync(incomplete, job.blob);
  });
}

/** Appends the rest of the file to `incomplete` (or rewrites it when the server ignores `Range`). */
async function fetchInto(job: BlobDownload, incomplete: string, start: number): Promise<number> {
  const { response } = await hubFetch(job.remote.url, {
    method: 'GET',
    token: job.token,
    endpoint: job.endpoint,
    headers: start > 0 ? { Range: `bytes=${start}-` } : {},
  });
  const resumed = start > 0 && response.status === 206 && contentRangeStart(response) === start;
  if (!resumed && response.status !== 200) {
    await response.body?.cancel();
    throw new ModelNotFoundError(
      `Downloading ${redact(job.remote.url)} failed with HTTP ${response.status}. Check the network (or HF_ENDPOINT) and load again; the part already downloaded is kept and resumed.`,
      [redact(job.remote.url)],
    );
  }
  const from = resumed ? start : 0;
  const handle = await open(incomplete, resumed ? 'a' : 'w');
  let loaded = from;
  try {
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        loaded += chunk.byteLength;
        job.onBytes?.(loaded, job.remote.size);
      }
    }
  } catch (error) {
    throw new ModelNotFoundError(
      `The download of ${redact(job.remote.url)} broke off after ${loaded} bytes (${error instanceof Error ? error.message : String(error)}). Load again to resume it.`,
      [redact(job.remote.url)],
      { cause: error },
    );
  } finally {
    await handle.close();
  }
  return loaded;
}

function contentRangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The etag is the content's hash on the Hugging Face hub: 64 hex digits are the sha256 of an LFS
 * file, 40 the git blob sha1 of a small one. Other servers' etags are opaque: the size is checked.
 */
async function verify(job: BlobDownload, incomplete: string): Promise<void> {
  const actual = statSync(incomplete).size;
  const { etag, size } = job.remote;
  const fail = (what: string) => {
    rmSync(incomplete, { force: true });
    return new ModelFormatError(
      `The file downloaded from ${redact(job.remote.url)} is corrupt (${what}); it was deleted. Load again to download it afresh.`,
    );
  };
  if (size !== undefined && actual !== size) throw fail(`${actual} bytes, expected ${size}`);
  let hash: Hash | undefined;
  if (/^[0-9a-f]{64}$/.test(etag)) hash = createHash('sha256');
  else if (/^[0-9a-f]{40}$/.test(etag)) hash = createHash('sha1').update(`blob ${actual}\0`);
  if (!hash) return;
  for await (const chunk of createReadStream(incomplete)) hash.update(chunk as Buffer);
  const digest = hash.digest('hex');
  if (digest !== etag) throw fail(`its hash is ${digest}, expected ${etag}`);
}
