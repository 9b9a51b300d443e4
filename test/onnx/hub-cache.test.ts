// Issue 19, item 2: hub ids load through the Hugging Face hub cache, in huggingface_hub's layout,
// against a fake hub on 127.0.0.1 (HF_ENDPOINT). Child processes cover a killed download and two
// processes loading one model at once.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CrossEncoder, type LoadProgress } from '@crossrank/onnx';
import { InvalidInputError, ModelFormatError, ModelNotFoundError } from '@crossrank/core';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { filesOf, gitSha1, isLfs, sha256, startFakeHub, type FakeHub } from './support/fake-hub';

const COMMIT = 'a'.repeat(40);
const COMMIT_V1 = 'b'.repeat(40);
const PAIRS: [string, string][] = [['what is a bridge network', 'Docker attaches containers to the docker0 bridge.'], ['q', 'another document']];
const HUB_VARS = ['HF_ENDPOINT', 'HF_HUB_CACHE', 'HF_HUB_OFFLINE', 'HF_TOKEN', 'HF_HOME', 'CROSSRANK_CACHE_DIR', 'TRANSFORMERS_OFFLINE'] as const;

let tiny: string;
let other: string;
let hub: FakeHub;
let cache: string;
let saved: Record<string, string | undefined>;
const expected = new Map<string, number[]>();

async function scores(model: string, options: Parameters<typeof CrossEncoder.load>[1] = {}): Promise<number[]> {
  const encoder = await CrossEncoder.load(model, { workers: 0, threads: 1, ...options });
  try {
    return Array.from(await encoder.predict(PAIRS));
  } finally {
    await encoder.dispose();
  }
}

function repoDir(id: string): string {
  return path.join(cache, `models--${id.replaceAll('/', '--')}`);
}

/** Runs the child loader; resolves with its exit status, stdout and stderr. */
function runChild(id: string): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const env = { ...process.env, HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: cache };
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'hub-load-child.cjs'), id], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

beforeAll(async () => {
  ({ dir: tiny } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-hub-tiny'), quantized: true }));
  ({ dir: other } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-hub-tiny-seed7'), seed: 7 }));
  expected.set('tiny', await scores(tiny));
  expected.set('other', await scores(other));
  expected.set('tiny-q8', await scores(tiny, { dtype: 'q8' }));
});

beforeEach(async () => {
  saved = Object.fromEntries(HUB_VARS.map((name) => [name, process.env[name]]));
  for (const name of HUB_VARS) delete process.env[name];
  hub = await startFakeHub();
  cache = mkdtempSync(path.join(os.tmpdir(), 'crossrank-hub-cache-'));
  process.env.HF_ENDPOINT = hub.endpoint;
  process.env.HF_HUB_CACHE = cache;
  // A home without a saved login, so no token file of the machine is read.
  process.env.HF_HOME = path.join(cache, 'home');
  hub.repos.set('org/tiny', { commits: { [COMMIT]: filesOf(tiny), [COMMIT_V1]: filesOf(other) }, refs: { main: COMMIT, v1: COMMIT_V1 } });
});

afterEach(async () => {
  await hub.close();
  rmSync(cache, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('downloading by hub id', () => {
  it("writes huggingface_hub's layout: blobs named by etag, relative snapshot links, refs/main", async () => {
    expect(await scores('org/tiny')).toEqual(expected.get('tiny'));
    const repo = repoDir('org/tiny');
    expect(readFileSync(path.join(repo, 'refs', 'main'), 'utf8')).toBe(COMMIT);
    const files = filesOf(tiny);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      const etag = isLfs(file) ? sha256(files[file]!) : gitSha1(files[file]!);
      const link = path.join(repo, 'snapshots', COMMIT, ...file.split('/'));
      expect(readlinkSync(link)).toBe(path.join(...Array(file.split('/').length + 1).fill('..'), 'blobs', etag));
      expect(readFileSync(link).equals(files[file]!)).toBe(true);
    }
    expect(readdirSync(path.join(repo, 'blobs')).filter((name) => name.endsWith('.incomplete'))).toEqual([]);
    // Only the files a cross-encoder needs were fetched, not the whole repository.
    expect(existsSync(path.join(repo, 'snapshots', COMMIT, 'onnx', 'model_quantized.onnx'))).toBe(false);
  });

  it('loads a cached revision again without any request, offline too, and in worker threads', async () => {
    await scores('org/tiny');
    const before = hub.requests.length;
    expect(await scores('org/tiny')).toEqual(expected.get('tiny'));
    process.env.HF_HUB_OFFLINE = '1';
    const encoder = await CrossEncoder.load('org/tiny', { workers: 2, threads: 1 });
    try {
      expect(Array.from(await encoder.predict(PAIRS))).toEqual(expected.get('tiny'));
    } finally {
      await encoder.dispose();
    }
    expect(hub.requests.length).toBe(before);
  });

  it('reports progress per file to onProgress, ending at the full size', async () => {
    const events: LoadProgress[] = [];
    await scores('org/tiny', { onProgress: (event) => events.push(event) });
    const model = events.filter((event) => event.file === 'onnx/model.onnx');
    expect(model[0]!.status).toBe('initiate');
    expect(model.at(-1)!.status).toBe('done');
    const progress = model.filter((event) => event.status === 'progress');
    const size = statSync(path.join(tiny, 'onnx', 'model.onnx')).size;
    expect(progress.at(-1)).toMatchObject({ loaded: size, total: size, progress: 100, name: 'org/tiny' });
    expect(progress.map((event) => event.loaded)).toEqual([...progress.map((event) => event.loaded!)].sort((a, b) => a - b));
    // Nothing to report once cached.
    const again: LoadProgress[] = [];
    await scores('org/tiny', { onProgress: (event) => again.push(event) });
    expect(again).toEqual([]);
  });

  it('resolves a revision name to its commit through refs/, and takes a full commit hash directly', async () => {
    expect(await scores('org/tiny', { revision: 'v1' })).toEqual(expected.get('other'));
    expect(readFileSync(path.join(repoDir('org/tiny'), 'refs', 'v1'), 'utf8')).toBe(COMMIT_V1);
    expect(await scores('org/tiny', { revision: COMMIT })).toEqual(expected.get('tiny'));
    // A commit hash is never written to refs/ (huggingface_hub does not either).
    expect(readdirSync(path.join(repoDir('org/tiny'), 'refs'))).toEqual(['v1']);
    const error = await scores('org/tiny', { revision: 'v9' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toMatch(/has no revision "v9"/);
  });

  it('marks an optional file the repository lacks in .no_exist/ and loads without it', async () => {
    const { 'tokenizer_config.json': _dropped, ...files } = filesOf(tiny);
    hub.repos.set('org/no-config', { commits: { [COMMIT]: files }, refs: { main: COMMIT } });
    await scores('org/no-config');
    expect(existsSync(path.join(repoDir('org/no-config'), '.no_exist', COMMIT, 'tokenizer_config.json'))).toBe(true);
    const before = hub.requests.length;
    await scores('org/no-config');
    expect(hub.requests.length).toBe(before);
  });

  it('picks any ONNX file with modelFile, and names a missing one', async () => {
    const files = filesOf(tiny);
    hub.repos.set('org/variants', {
      commits: { [COMMIT]: { ...files, 'onnx/model_quint8_avx2.onnx': files['onnx/model_quantized.onnx']! } },
      refs: { main: COMMIT },
    });
    const encoder = await CrossEncoder.load('org/variants', { workers: 0, modelFile: 'onnx/model_quint8_avx2.onnx' });
    try {
      expect(encoder.info.modelFile).toBe('onnx/model_quint8_avx2.onnx');
      // Named like a dynamically quantized model: scored one pair per pass, as dtype q8 is.
      expect(encoder.info.dtype).toBe('q8');
      expect(Array.from(await encoder.predict(PAIRS))).toEqual(expected.get('tiny-q8'));
    } finally {
      await encoder.dispose();
    }
    const missing = await scores('org/variants', { modelFile: 'onnx/model_O3.onnx' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelNotFoundError);
    expect((missing as Error).message).toMatch(/has no onnx\/model_O3\.onnx at revision "main" \(HTTP 404/);
  });
});

describe('a causal-LM reranker by hub id', () => {
  const CAUSAL = path.resolve(__dirname, '../../packages/onnx/test-fixtures/causal-reranker-tiny');
  // Full-vocabulary logits: a few short pairs, with a generous limit on a busy machine.
  const SLOW = 300_000;

  async function causalLoad(model: string, options: Parameters<typeof CrossEncoder.load>[1] = {}): Promise<{ scores: number[]; info: CrossEncoder['info'] }> {
    const encoder = await CrossEncoder.load(model, { threads: 1, ...options });
    try {
      return { scores: Array.from(await encoder.predict(PAIRS)), info: encoder.info };
    } finally {
      await encoder.dispose();
    }
  }

  it('fetches its sentence-transformers files into the hub cache, then loads offline on a worker, scoring as the local folder does', async () => {
    hub.repos.set('org/causal-tiny', { commits: { [COMMIT]: filesOf(CAUSAL) }, refs: { main: COMMIT } });
    const local = await causalLoad(CAUSAL, { workers: 0 });
    const online = await causalLoad('org/causal-tiny', { workers: 0 });
    // Recognised by hub id as by folder: the LogitScore module's token ids and the model's own chat template.
    expect(online.info.causal).toMatchObject({ trueTokenId: local.info.causal!.trueTokenId, falseTokenId: local.info.causal!.falseTokenId });
    expect(online.info.causal!.template).toBe('chat_template.jinja of "org/causal-tiny"');
    expect(online.scores).toEqual(local.scores);
    const snapshot = path.join(repoDir('org/causal-tiny'), 'snapshots', COMMIT);
    for (const file of ['modules.json', '1_LogitScore/config.json', 'config_sentence_transformers.json', 'sentence_bert_config.json', 'chat_template.jinja', 'onnx/model.onnx']) {
      expect(existsSync(path.join(snapshot, ...file.split('/')))).toBe(true);
    }
    // Offline, from the cache alone; the worker opens the snapshot's ONNX file (workers never download).
    const before = hub.requests.length;
    const offline = await causalLoad('org/causal-tiny', { localFilesOnly: true, workers: 1 });
    expect(offline.info.workers).toBe(1);
    expect(offline.info.causal!.template).toBe('chat_template.jinja of "org/causal-tiny"');
    expect(offline.scores).toEqual(local.scores);
    expect(hub.requests.length).toBe(before);
    // Its weights are inline: the external-data file was asked for, and marked absent.
    expect(existsSync(path.join(repoDir('org/causal-tiny'), '.no_exist', COMMIT, 'onnx', 'model.onnx_data'))).toBe(true);
  }, SLOW);

  it('fetches the external weights beside the ONNX file it loads (model.onnx_data, model_quantized.onnx_data), then loads offline', async () => {
    const { dir } = await createTestCrossEncoder({
      dir: defaultTestModelDir('onnx-qwen3-external'),
      architecture: 'qwen3', layers: 2, hidden: 32, heads: 4, intermediate: 64, seed: 5, quantized: true, externalData: true,
    });
    const files = filesOf(dir);
    hub.repos.set('org/causal-external', { commits: { [COMMIT]: files }, refs: { main: COMMIT } });
    const snapshot = path.join(repoDir('org/causal-external'), 'snapshots', COMMIT);
    for (const [dtype, graph] of [['fp32', 'onnx/model.onnx'], ['q8', 'onnx/model_quantized.onnx']] as const) {
      const local = await causalLoad(dir, { workers: 0, dtype });
      expect((await causalLoad('org/causal-external', { workers: 0, dtype })).scores).toEqual(local.scores);
      const data = `${graph}_data`;
      // An LFS blob, named by its sha256, linked beside the graph.
      expect(readlinkSync(path.join(snapshot, ...data.split('/')))).toBe(path.join('..', '..', '..', 'blobs', sha256(files[data]!)));
      const before = hub.requests.length;
      expect((await causalLoad('org/causal-external', { workers: 1, dtype, localFilesOnly: true })).scores).toEqual(local.scores);
      expect(hub.requests.length).toBe(before);
    }
  }, SLOW);
});

describe('offline', () => {
  /** The cache Python's `hf_hub_download` would leave, built by hand: blobs, relative links, refs. */
  function writePythonCache(id: string, folders: Record<string, { commit: string; folder: string }>): void {
    const repo = repoDir(id);
    for (const [ref, { commit, folder }] of Object.entries(folders)) {
      for (const [file, content] of Object.entries(filesOf(folder))) {
        const etag = isLfs(file) ? sha256(content) : gitSha1(content);
        mkdirSync(path.join(repo, 'blobs'), { recursive: true });
        writeFileSync(path.join(repo, 'blobs', etag), content);
        const link = path.join(repo, 'snapshots', commit, ...file.split('/'));
        mkdirSync(path.dirname(link), { recursive: true });
        symlinkSync(path.relative(path.dirname(link), path.join(repo, 'blobs', etag)), link);
      }
      mkdirSync(path.join(repo, 'refs'), { recursive: true });
      writeFileSync(path.join(repo, 'refs', ref), commit);
    }
  }

  it('loads by id from a cache Python wrote, with HF_HUB_OFFLINE=1 or localFilesOnly, by branch, tag or commit', async () => {
    writePythonCache('python/tiny', { main: { commit: COMMIT, folder: tiny }, v1: { commit: COMMIT_V1, folder: other } });
    process.env.HF_HUB_OFFLINE = '1';
    expect(await scores('python/tiny')).toEqual(expected.get('tiny'));
    expect(await scores('python/tiny', { revision: 'v1' })).toEqual(expected.get('other'));
    delete process.env.HF_HUB_OFFLINE;
    expect(await scores('python/tiny', { localFilesOnly: true, revision: COMMIT_V1 })).toEqual(expected.get('other'));
    expect(await scores('python/tiny', { localFilesOnly: true, dtype: 'q8' })).toEqual(expected.get('tiny-q8'));
    expect(hub.requests).toEqual([]);
  });

  it('without a connection, uses what the cache holds (as huggingface_hub does)', async () => {
    // Python fetched the model but never asked for onnx/model.onnx_data, so the cache cannot say it is absent.
    writePythonCache('python/tiny', { main: { commit: COMMIT, folder: tiny } });
    await hub.close();
    expect(await scores('python/tiny')).toEqual(expected.get('tiny'));
    hub = await startFakeHub();
  });

  it.each([
    ['HF_HUB_OFFLINE=1', { env: true, options: {} }, /HF_HUB_OFFLINE is set/],
    ['localFilesOnly', { env: false, options: { localFilesOnly: true } }, /localFilesOnly is set/],
  ])('with %s an uncached model fails naming what was looked for, and nothing is fetched', async (_name, how, why) => {
    if (how.env) process.env.HF_HUB_OFFLINE = '1';
    const error = await scores('org/tiny', how.options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).tried).toEqual([path.join(repoDir('org/tiny'), 'refs', 'main')]);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toMatch(/https?:/);
    expect(hub.requests).toEqual([]);
  });

  it('names the missing file when the cached commit lacks the dtype asked for', async () => {
    await scores('org/tiny');
    const error = await scores('org/tiny', { localFilesOnly: true, dtype: 'q8' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).tried).toEqual([path.join(repoDir('org/tiny'), 'snapshots', COMMIT, 'onnx', 'model_quantized.onnx')]);
  });
});

describe('HF_TOKEN', () => {
  const TOKEN = 'hf_secretTokenValue123';

  beforeEach(() => {
    hub.repos.get('org/tiny')!.token = TOKEN;
  });

  it('is sent as a bearer token to the hub, never to the CDN', async () => {
    process.env.HF_TOKEN = TOKEN;
    expect(await scores('org/tiny')).toEqual(expected.get('tiny'));
    const hubRequests = hub.requests.filter((r) => r.host === 'hub');
    const cdnRequests = hub.requests.filter((r) => r.host === 'cdn');
    expect(hubRequests.length).toBeGreaterThan(0);
    expect(cdnRequests.length).toBe(1);
    expect(hubRequests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(cdnRequests[0]!.authorization).toBeUndefined();
  });

  it('is asked for when missing, and never shown when refused', async () => {
    const missing = await scores('org/tiny').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelNotFoundError);
    expect((missing as Error).message).toMatch(/private or gated .* set HF_TOKEN/);
    process.env.HF_TOKEN = `${TOKEN}-wrong`;
    const refused = await scores('org/tiny').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelNotFoundError);
    expect((refused as Error).message).toMatch(/token from HF_TOKEN .* does not grant access/);
    const shown = JSON.stringify({ message: (refused as Error).message, stack: (refused as Error).stack, tried: (refused as ModelNotFoundError).tried });
    expect(shown).not.toContain(TOKEN);
  });
});

describe('interrupted and concurrent downloads', () => {
  const modelBlob = () => path.join(repoDir('org/tiny'), 'blobs', sha256(filesOf(tiny)['onnx/model.onnx']!));

  it('a download killed part way leaves no usable-looking file, and the next load resumes it', async () => {
    hub.stallAfter = 1 << 20;
    const { child, done } = runChild('org/tiny');
    const incomplete = `${modelBlob()}.incomplete`;
    for (let i = 0; i < 600 && !(existsSync(incomplete) && statSync(incomplete).size >= 1 << 20); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statSync(incomplete).size).toBe(1 << 20);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(existsSync(modelBlob())).toBe(false);
    expect(existsSync(path.join(repoDir('org/tiny'), 'snapshots', COMMIT, 'onnx', 'model.onnx'))).toBe(false);

    hub.stallAfter = undefined;
    expect(await scores('org/tiny')).toEqual(expected.get('tiny'));
    const ranges = hub.requests.filter((r) => r.host === 'cdn').map((r) => r.range);
    expect(ranges).toEqual([undefined, `bytes=${1 << 20}-`]);
    expect(existsSync(incomplete)).toBe(false);
  });

  it('a corrupt partial download is caught by its hash, deleted, and fetched afresh on the next load', async () => {
    const size = filesOf(tiny)['onnx/model.onnx']!.length;
    mkdirSync(path.dirname(modelBlob()), { recursive: true });
    writeFileSync(`${modelBlob()}.incomplete`, Buffer.alloc(size - 10, 7));
    const error = await scores('org/tiny').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/is corrupt \(its hash is [0-9a-f]{64}, expected [0-9a-f]{64}\); it was deleted/);
    expect((error as Error).message).not.toMatch(/X-Amz-Signature|secret/);
    expect(existsSync(`${modelBlob()}.incomplete`)).toBe(false);
    expect(existsSync(modelBlob())).toBe(false);
    expect(await scores('org/tiny')).toEqual(expected.get('tiny'));
  });

  it('two processes loading the same model at once both get it, downloaded once', async () => {
    const runs = await Promise.all([runChild('org/tiny').done, runChild('org/tiny').done]);
    for (const run of runs) {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toEqual(expected.get('tiny'));
    }
    expect(hub.requests.filter((r) => r.host === 'cdn' && r.method === 'GET')).toHaveLength(1);
    expect(readdirSync(path.join(cache, '.locks', 'models--org--tiny'))).toEqual([]);
  });
});

it('rejects a revision that could leave the cache folder before looking anything up', async () => {
  const error = await scores('org/tiny', { revision: '../../escape' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(hub.requests).toEqual([]);
});
