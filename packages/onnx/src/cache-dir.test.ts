import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { env as transformersEnv } from '@huggingface/transformers';
import { cachedFilePath, defaultModelCacheDir } from './cache-dir';
import { CrossEncoder } from './cross-encoder';
import { ModelNotFoundError } from './errors';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const HUB_ID = 'Xenova/ms-marco-MiniLM-L-6-v2';
const CACHE_VARS = ['CROSSRANK_CACHE_DIR', 'HF_ASSETS_CACHE', 'HF_HOME', 'XDG_CACHE_HOME'] as const;

describe('defaultModelCacheDir', () => {
  it('follows CROSSRANK_CACHE_DIR, then the Hugging Face assets cache and its fallbacks', () => {
    const home = os.homedir();
    expect(defaultModelCacheDir({})).toBe(path.join(home, '.cache', 'huggingface', 'assets', 'crossrank', 'transformers-js'));
    expect(defaultModelCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/huggingface/assets/crossrank/transformers-js');
    expect(defaultModelCacheDir({ XDG_CACHE_HOME: '/x', HF_HOME: '/h' })).toBe('/h/assets/crossrank/transformers-js');
    expect(defaultModelCacheDir({ HF_HOME: '/h', HF_ASSETS_CACHE: '/a' })).toBe('/a/crossrank/transformers-js');
    expect(defaultModelCacheDir({ HF_ASSETS_CACHE: '/a', CROSSRANK_CACHE_DIR: '/c' })).toBe('/c/transformers-js');
  });

  it('never uses the hub cache, whose layout transformers.js does not write', () => {
    const dir = defaultModelCacheDir({ HF_HUB_CACHE: '/hub', HF_HOME: '/h' });
    expect(dir).toBe('/h/assets/crossrank/transformers-js');
  });

  it('treats blank variables as unset, expands ~ and resolves relative paths', () => {
    expect(defaultModelCacheDir({ CROSSRANK_CACHE_DIR: '  ', HF_HOME: '' })).toBe(defaultModelCacheDir({}));
    expect(defaultModelCacheDir({ HF_HOME: '~/hf' })).toBe(path.join(os.homedir(), 'hf', 'assets', 'crossrank', 'transformers-js'));
    expect(defaultModelCacheDir({ CROSSRANK_CACHE_DIR: 'rel' })).toBe(path.resolve('rel', 'transformers-js'));
  });

  it('reads process.env on every call', () => {
    const saved = process.env.CROSSRANK_CACHE_DIR;
    try {
      process.env.CROSSRANK_CACHE_DIR = '/first';
      expect(defaultModelCacheDir()).toBe('/first/transformers-js');
      process.env.CROSSRANK_CACHE_DIR = '/second';
      expect(defaultModelCacheDir()).toBe('/second/transformers-js');
    } finally {
      restore({ CROSSRANK_CACHE_DIR: saved });
    }
  });
});

describe('CrossEncoder.load and the model cache', () => {
  let root: string;
  let saved: Record<string, string | undefined>;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'crossrank-cache-dir-'));
    saved = Object.fromEntries(CACHE_VARS.map((name) => [name, process.env[name]]));
    for (const name of CACHE_VARS) delete process.env[name];
  });

  afterEach(() => {
    restore(saved);
    rmSync(root, { recursive: true, force: true });
  });

  it('looks in $CROSSRANK_CACHE_DIR offline, and lists no URL it did not fetch', async () => {
    process.env.CROSSRANK_CACHE_DIR = root;
    const error = await CrossEncoder.load(HUB_ID, { localFilesOnly: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).tried).toEqual([path.join(root, 'transformers-js', HUB_ID, 'tokenizer.json')]);
    expect((error as Error).message).not.toMatch(/https?:/);
    expect((error as Error).message).toContain(path.join(root, 'transformers-js'));
  });

  it('looks under $HF_HOME when only that is set, and the cacheDir option beats both', async () => {
    process.env.HF_HOME = root;
    const viaHome = await CrossEncoder.load(HUB_ID, { localFilesOnly: true, revision: 'v2' }).catch((e: unknown) => e);
    expect((viaHome as ModelNotFoundError).tried).toEqual([path.join(root, 'assets', 'crossrank', 'transformers-js', HUB_ID, 'v2', 'tokenizer.json')]);

    process.env.CROSSRANK_CACHE_DIR = path.join(root, 'ignored');
    const own = path.join(root, 'mine');
    const viaOption = await CrossEncoder.load(HUB_ID, { localFilesOnly: true, cacheDir: own }).catch((e: unknown) => e);
    expect((viaOption as ModelNotFoundError).tried).toEqual([path.join(own, HUB_ID, 'tokenizer.json')]);
  });

  it('lists the cache file and the URL it fetched when a download fails', async () => {
    const server = await notFoundServer();
    const remoteHost = transformersEnv.remoteHost;
    try {
      transformersEnv.remoteHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      process.env.CROSSRANK_CACHE_DIR = root;
      const error = await CrossEncoder.load(HUB_ID).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect((error as ModelNotFoundError).tried).toEqual([
        path.join(root, 'transformers-js', HUB_ID, 'tokenizer.json'),
        `${transformersEnv.remoteHost}${HUB_ID}/resolve/main/tokenizer.json`,
      ]);
    } finally {
      transformersEnv.remoteHost = remoteHost;
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('loads a hub id offline from files in the layout the error names', async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny'), quantized: true });
    process.env.CROSSRANK_CACHE_DIR = root;
    // The id the tests above failed to load: a failed offline load must not stick in this process.
    const id = 'crossrank-test/tiny';
    for (const revision of [undefined, 'v1']) {
      const target = path.dirname(cachedFilePath(defaultModelCacheDir(), id, revision, 'config.json'));
      mkdirSync(target, { recursive: true });
      cpSync(dir, target, { recursive: true });
    }
    const fromFolder = await CrossEncoder.load(dir);
    const fromCache = await CrossEncoder.load(id, { localFilesOnly: true });
    const fromRevision = await CrossEncoder.load(id, { localFilesOnly: true, revision: 'v1' });
    try {
      const pairs: [string, string][] = [['what is a bridge network', 'Docker attaches containers to the docker0 bridge.']];
      const expected = Array.from(await fromFolder.predict(pairs));
      expect(Array.from(await fromCache.predict(pairs))).toEqual(expected);
      expect(Array.from(await fromRevision.predict(pairs))).toEqual(expected);
    } finally {
      await Promise.all([fromFolder.dispose(), fromCache.dispose(), fromRevision.dispose()]);
    }
  });
});

function restore(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

function notFoundServer(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end('Entry not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
