import { existsSync } from 'node:fs';
import path from 'node:path';
import { ModelNotFoundError } from '../errors.js';
import type { LoadProgress } from '../options.js';
import { downloadBlob } from './blob-download.js';
import { blobPath, cachedCommit, linkSnapshotFile, lockPath, markMissing, noExistPath, refPath, repoFolder, snapshotFile, writeRef } from './hub-cache.js';
import { hubFetch, readHead, redact, resolveUrl } from './hub-http.js';
import type { HubSettings } from './hub-settings.js';

export interface HubFileWanted {
  /** Path inside the repository, `/`-separated (`onnx/model.onnx`). */
  name: string;
  /** Absent from the repository is fine (e.g. `tokenizer_config.json`). */
  optional?: boolean;
}

export interface HubModelRequest {
  id: string;
  /** Branch, tag or full commit hash. */
  revision: string;
  files: readonly HubFileWanted[];
  /** The `localFilesOnly` option: use the cache only (as `HF_HUB_OFFLINE=1` does for every load). */
  localFilesOnly: boolean;
  settings: HubSettings;
  onProgress?: (progress: LoadProgress) => void;
}

/** One commit of a hub model in the cache: `snapshots/<commit>/`, with the files asked for. */
export interface HubSnapshot {
  folder: string;
  commit: string;
  /** Optional files the repository does not have. */
  missing: ReadonlySet<string>;
}

/**
 * Makes `files` of hub model `id` at `revision` available in the hub cache and returns their
 * snapshot folder. A revision already cached (a commit hash, or a name `refs/` resolves) whose
 * files are all there is used without touching the network, as transformers.js did; otherwise
 * every file is looked up at the revision's current commit, and what the cache lacks is downloaded.
 * To move a cached branch to its newest commit, delete `refs/<branch>` or pass the commit.
 */
export async function fetchHubModel(request: HubModelRequest): Promise<HubSnapshot> {
  const repo = repoFolder(request.settings.cacheDir, request.id);
  const offline = request.settings.offline || request.localFilesOnly;
  const cached = fromCache(repo, request, offline);
  if (cached) return cached;
  if (offline) throw notCached(repo, request);
  return download(repo, request);
}

function fromCache(repo: string, request: HubModelRequest, offline: boolean): HubSnapshot | undefined {
  const commit = cachedCommit(repo, request.revision);
  if (commit === undefined) return undefined;
  const missing = new Set<string>();
  for (const file of request.files) {
    if (existsSync(snapshotFile(repo, commit, file.name))) continue;
    // Offline, an optional file the snapshot lacks is taken as absent (Python may not have asked).
    if (file.optional && (offline || existsSync(noExistPath(repo, commit, file.name)))) {
      missing.add(file.name);
      continue;
    }
    return undefined;
  }
  return { folder: path.join(repo, 'snapshots', commit), commit, missing };
}

function notCached(repo: string, request: HubModelRequest): ModelNotFoundError {
  const { id, revision } = request;
  const commit = cachedCommit(repo, revision);
  const tried =
    commit === undefined
      ? [revision.match(/^[0-9a-f]{40}$/) ? path.join(repo, 'snapshots', revision) : refPath(repo, revision)]
      : request.files.filter((file) => !file.optional && !existsSync(snapshotFile(repo, commit, file.name))).map((file) => snapshotFile(repo, commit, file.name));
  const why = request.localFilesOnly ? 'localFilesOnly is set' : 'HF_HUB_OFFLINE is set';
  const what = commit === undefined ? `revision "${revision}" is not in the cache` : `the cached commit ${commit} lacks ${tried.map((p) => path.relative(path.join(repo, 'snapshots', commit), p)).join(', ')}`;
  return new ModelNotFoundError(
    `Could not load model "${id}": ${why}, so nothing was downloaded, and ${what}. Tried: ${tried.join(', ')}. ` +
      `To run offline, load it once with network access, or download it with Python (\`hf download ${id}\`) into the same cache (${request.settings.cacheDir}; ` +
      'set cacheDir, HF_HUB_CACHE or HF_HOME to move it), or pass a local folder holding config.json, tokenizer.json and the ONNX file.',
    tried,
  );
}

async function download(repo: string, request: HubModelRequest): Promise<HubSnapshot> {
  const { id, revision, settings } = request;
  const { endpoint, token } = settings;
  let commit: string | undefined;
  const missing = new Set<string>();
  for (const file of request.files) {
    // Every file after the first is asked for at the commit the first one resolved to, so a push
    // in between cannot mix two commits' files.
    const url = resolveUrl(endpoint, id, commit ?? revision, file.name);
    let head: Awaited<ReturnType<typeof hubFetch>>;
    try {
      head = await hubFetch(url, { method: 'HEAD', token, endpoint, stopAtOtherOrigin: true });
    } catch (error) {
      // As huggingface_hub does: without a connection, what the cache holds will do.
      const cached = fromCache(repo, request, true);
      if (cached) return cached;
      throw new ModelNotFoundError(
        `Could not reach ${endpoint} to download ${file.name} of model "${id}" (${error instanceof Error ? error.message : String(error)}). ` +
          `Check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to load from the cache (${settings.cacheDir}) only.`,
        [redact(url)],
        { cause: error },
      );
    }
    const result = readHead(head.response, head.url);
    if (result === undefined) throw httpError(head.response, request, file.name, url);
    if (result.kind === 'missing') {
      if (!file.optional) {
        throw new ModelNotFoundError(
          `Model "${id}" has no ${file.name} at revision "${revision}" (HTTP 404 from ${redact(url)}). ` +
            (file.name.endsWith('.onnx') ? 'Check dtype or modelFile against the files in the repository\'s onnx/ folder.' : 'Is it a Hugging Face model with ONNX weights?'),
          [redact(url)],
        );
      }
      commit ??= result.commit;
      missing.add(file.name);
      continue;
    }
    const remote = result.file;
    commit ??= remote.commit;
    const pointer = snapshotFile(repo, commit, file.name);
    if (existsSync(pointer)) continue;
    const blob = blobPath(repo, remote.etag);
    if (!existsSync(blob)) {
      const report = progressReporter(request, file.name);
      await downloadBlob({ remote, blob, lock: lockPath(settings.cacheDir, repo, remote.etag), token, endpoint, onBytes: report.bytes });
      report.done();
    }
    linkSnapshotFile(blob, pointer);
  }
  if (commit === undefined) throw new ModelNotFoundError(`The hub at ${endpoint} named no commit for model "${id}" at revision "${revision}".`, [endpoint]);
  // Marked at the commit the other files came from (a 404 need not name one).
  for (const name of missing) markMissing(repo, commit, name);
  writeRef(repo, revision, commit);
  return { folder: path.join(repo, 'snapshots', commit), commit, missing };
}

/** transformers.js's event shapes (`initiate`, `download`, `progress`, `done`), one `progress` per percent. */
function progressReporter(request: HubModelRequest, file: string) {
  const emit = request.onProgress;
  const name = request.id;
  emit?.({ status: 'initiate', name, file });
  emit?.({ status: 'download', name, file });
  let lastPercent = -1;
  let lastLoaded = 0;
  return {
    bytes(loaded: number, total: number | undefined) {
      if (!emit) return;
      const percent = total ? Math.floor((loaded / total) * 100) : undefined;
      if (percent !== undefined ? percent === lastPercent : loaded - lastLoaded < 1 << 20) return;
      lastPercent = percent ?? lastPercent;
      lastLoaded = loaded;
      emit({ status: 'progress', name, file, loaded, ...(total !== undefined ? { total, progress: (loaded / total) * 100 } : {}) });
    },
    done() {
      emit?.({ status: 'done', name, file });
    },
  };
}

function httpError(response: Response, request: HubModelRequest, file: string, url: string): ModelNotFoundError {
  const { id, revision } = request;
  const code = response.headers.get('x-error-code');
  const status = response.status;
  let message: string;
  if (code === 'RevisionNotFound') {
    message = `Model "${id}" has no revision "${revision}" (HTTP ${status}). Pass an existing branch, tag or full commit hash as revision.`;
  } else if (status === 401 || status === 403 || code === 'RepositoryNotFound' || code === 'GatedRepo') {
    message =
      request.settings.token === undefined
        ? `Model "${id}" was not found, or is private or gated (HTTP ${status}). Check the id; if you have access, set HF_TOKEN to a Hugging Face access token.`
        : `Model "${id}" was not found, or the token from HF_TOKEN (or your saved login) does not grant access to it (HTTP ${status}). ` +
          'Check the id, that the token can read the repository, and that you accepted a gated model\'s terms on its page.';
  } else if (response.ok || (status >= 300 && status < 400)) {
    message = `${redact(url)} answered without the X-Repo-Commit and ETag headers of a Hugging Face hub; check HF_ENDPOINT.`;
  } else {
    message = `Downloading ${file} of model "${id}" failed: HTTP ${status} from ${redact(url)}. Try again later, or check HF_ENDPOINT.`;
  }
  return new ModelNotFoundError(message, [redact(url)]);
}
