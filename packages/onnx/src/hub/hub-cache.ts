import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * huggingface_hub's cache layout (`file_download.py`), so Python and crossrank share one cache:
 *
 *     <cacheDir>/models--org--name/
 *       blobs/<etag>                        the files, named by git-sha1 or (LFS) sha256
 *       snapshots/<commit>/<file>           symlinks to ../../blobs/<etag> (more ../ for subfolders)
 *       refs/<revision>                     the commit a branch or tag pointed at when last fetched
 *       .no_exist/<commit>/<file>           empty: the file is known to be absent at that commit
 *     <cacheDir>/.locks/models--org--name/<etag>.lock
 */
export const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function repoFolder(cacheDir: string, id: string): string {
  return path.join(cacheDir, `models--${id.replaceAll('/', '--')}`);
}

export function snapshotFile(repo: string, commit: string, file: string): string {
  return path.join(repo, 'snapshots', commit, ...file.split('/'));
}

export function blobPath(repo: string, etag: string): string {
  return path.join(repo, 'blobs', etag);
}

export function noExistPath(repo: string, commit: string, file: string): string {
  return path.join(repo, '.no_exist', commit, ...file.split('/'));
}

export function refPath(repo: string, revision: string): string {
  return path.join(repo, 'refs', ...revision.split('/'));
}

export function lockPath(cacheDir: string, repo: string, etag: string): string {
  return path.join(cacheDir, '.locks', path.basename(repo), `${etag}.lock`);
}

/** The commit `revision` names in the cache: itself when it is a commit hash, else what `refs/` holds. */
export function cachedCommit(repo: string, revision: string): string | undefined {
  if (COMMIT_HASH.test(revision)) return revision;
  try {
    const commit = readFileSync(refPath(repo, revision), 'utf8').trim();
    return COMMIT_HASH.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** Records that `revision` points at `commit` (huggingface_hub writes refs only for names, not hashes). */
export function writeRef(repo: string, revision: string, commit: string): void {
  if (revision === commit) return;
  const file = refPath(repo, revision);
  if (cachedCommit(repo, revision) === commit) return;
  writeAtomically(file, commit);
}

/** Marks `file` as absent at `commit`, so an offline load knows not to look for it. */
export function markMissing(repo: string, commit: string, file: string): void {
  const marker = noExistPath(repo, commit, file);
  if (!existsSync(marker)) writeAtomically(marker, '');
}

/**
 * Points `snapshots/<commit>/<file>` at its blob with a relative symlink, as huggingface_hub does,
 * replacing any older link in one rename. Where symlinks are not allowed (Windows without developer
 * mode) the blob is copied, as huggingface_hub also does.
 */
export function linkSnapshotFile(blob: string, pointer: string): void {
  mkdirSync(path.dirname(pointer), { recursive: true });
  const temporary = `${pointer}.${randomUUID()}.tmp`;
  try {
    symlinkSync(path.relative(path.dirname(pointer), blob), temporary);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    copyFileSync(blob, temporary);
  }
  renameSync(temporary, pointer);
}

/** Writes through a temporary file and a rename: readers see the old content or the new, never a part. */
function writeAtomically(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Unique per call: two loads in one process may write the same file at once.
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
