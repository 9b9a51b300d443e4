// Issue 12: a seeded, bounded fuzz test over every public method of the engine, the API rerankers
// (against a local server that also answers with random faults) and both adapters. Each call may
// succeed or reject, but: only with a CrossrankError, never an unhandled rejection, the caller's
// inputs unchanged, and the instance still works afterwards. CROSSRANK_FUZZ_SEED / _RUNS vary it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CrossrankError, FallbackReranker, type Reranker } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { CohereReranker, JinaReranker, MixedbreadReranker, TeiReranker, VoyageReranker } from '@crossrank/api';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { CrossEncoderReranker } from '@crossrank/langchain';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { Document } from '@langchain/core/documents';
import { TextNode, type NodeWithScore } from 'llamaindex';

const SEED = Number(process.env['CROSSRANK_FUZZ_SEED'] ?? 0xf00d);
const RUNS = Number(process.env['CROSSRANK_FUZZ_RUNS'] ?? 60);

/** mulberry32, as in the fidelity corpus: the same sequence everywhere. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number): boolean => random() < p;

const WORDS = ['docker', 'network', 'bridge', 'river', 'winter', 'ferry', '北京', 'café', '🙂', '[SEP]', '\u0000', '\uD800', ' ', ''];
const text = (): string => Array.from({ length: Math.floor(random() * 12) }, () => pick(WORDS)).join(pick([' ', '', '\n']));
const SCORES = [0, 0.1, 0.5, 0.9, 1];
const goodDocument = (): string => `s=${pick(SCORES)} ${text()}`;

/** Odd values of every kind, for any argument. */
function oddValue(): unknown {
  return pick<() => unknown>([
    () => undefined,
    () => null,
    () => NaN,
    () => -1,
    () => 2,
    () => 1.5,
    () => 1e9,
    () => Infinity,
    () => '2',
    () => 'nope',
    () => '',
    () => true,
    () => ({}),
    () => [],
    () => Symbol('x'),
    () => 10n,
    () => () => 'fn',
    () => new Array(3),
    () => Object.freeze(['a', 'b']),
    () => new Proxy(['a', 'b'], {}),
    () => ({ aborted: true }),
    () => AbortSignal.abort(),
  ])();
}

function documentsArg(): unknown {
  if (chance(0.15)) return oddValue();
  const list: unknown[] = Array.from({ length: Math.floor(random() * 8) }, () => (chance(0.9) ? goodDocument() : oddValue()));
  if (chance(0.1)) list.length += 2; // holes
  if (chance(0.1)) return Object.freeze(list);
  if (chance(0.1)) return new Proxy(list, {});
  return list;
}

function rerankOptionsArg(): unknown {
  if (chance(0.1)) return oddValue();
  const options: Record<string, unknown> = {};
  if (chance(0.5)) options['topN'] = chance(0.6) ? Math.floor(random() * 6) : oddValue();
  if (chance(0.4)) options['scoreThreshold'] = chance(0.6) ? random() : oddValue();
  if (chance(0.3)) options['signal'] = chance(0.6) ? (chance(0.5) ? AbortSignal.abort() : AbortSignal.timeout(Math.floor(random() * 30))) : oddValue();
  return options;
}

/** A structural fingerprint of an argument (holes, frozenness and nested values included). */
function fingerprint(value: unknown, seen = new Set<unknown>()): string {
  if (typeof value === 'symbol' || typeof value === 'bigint' || typeof value === 'function') return `<${typeof value}:${String(value)}>`;
  if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
  // A timeout signal fires by itself during a call: its state is not the caller's input.
  if (value instanceof AbortSignal) return '<signal>';
  if (seen.has(value)) return '<cycle>';
  seen.add(value);
  const keys = Reflect.ownKeys(value).filter((k) => typeof k === 'string');
  const inner = keys.map((k) => `${String(k)}=${fingerprint((value as Record<string, unknown>)[k as string], seen)}`).join(',');
  return `${Array.isArray(value) ? 'A' : 'O'}${Object.isFrozen(value) ? 'F' : ''}[${inner}]`;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

/**
 * Calls `call(...args)`; whatever happens must be a result or a CrossrankError, and `args` must be
 * exactly as they were. Returns what was thrown, if anything.
 */
async function probe(label: string, args: unknown[], call: (...args: unknown[]) => unknown): Promise<unknown> {
  const before = args.map((arg) => fingerprint(arg));
  let thrown: unknown;
  try {
    await call(...args);
  } catch (error) {
    thrown = error;
  }
  if (thrown !== undefined && !(thrown instanceof CrossrankError)) {
    throw new Error(`${label} threw ${String((thrown as Error)?.name)}: ${String((thrown as Error)?.message ?? thrown)} (seed ${SEED})`);
  }
  expect({ label, args: args.map((arg) => fingerprint(arg)) }).toEqual({ label, args: before });
  return thrown;
}

// ---------------------------------------------------------------------------------------------
// A local server that speaks every protocol and answers with random faults.

interface FaultServer {
  baseUrl: string;
  close(): Promise<void>;
}

function documentsOf(path: string, body: Record<string, unknown>): string[] {
  const list = body['documents'] ?? body['input'] ?? body['texts'];
  return Array.isArray(list) ? (list as string[]) : [];
}

function honest(path: string, body: Record<string, unknown>): unknown {
  const documents = documentsOf(path, body);
  const results = documents.map((doc, index) => ({ index, score: Number(/^s=([0-9.]+)/.exec(doc)?.[1] ?? 0.5) }));
  if (path === '/rerank') return results.map(({ index, score }) => ({ index, score }));
  if (path === '/v1/reranking') return { object: 'list', model: 'm', data: results.map(({ index, score }) => ({ index, score })) };
  if (path === '/v1/rerank' && 'top_k' in body) return { object: 'list', data: results.map(({ index, score }) => ({ index, relevance_score: score })) };
  return { id: 'x', results: results.map(({ index, score }) => ({ index, relevance_score: score })) };
}

async function startFaultServer(faultRate: () => number): Promise<FaultServer> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // answer anyway
      }
      const path = (req.url ?? '').replace(/\?.*$/, '');
      const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      if (random() >= faultRate()) return json(200, honest(path, body));
      pick<() => void>([
        () => json(500, { message: 'boom' }),
        () => json(429, { message: 'slow down' }, { 'retry-after': pick(['0', '3600', 'soon']) }),
        () => json(400, { detail: [{ msg: 'bad' }] }),
        () => json(200, ''),
        () => json(200, 'null'),
        () => json(200, '{"results": 5}'),
        () => json(200, '{"results": [{"index": 99, "relevance_score": 0.5}]}'),
        () => json(200, '{"results": [{"index": 0, "relevance_score": 7}]}'),
        () => json(200, 'not json'),
        () => json(200, 'x'.repeat(300_000)),
        () => {
          res.writeHead(302, { location: '/elsewhere' });
          res.end();
        },
        () => req.socket.destroy(),
        () => setTimeout(() => json(200, honest(path, body)), 300),
      ])();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const API_OPTIONS = { timeoutMs: 150, maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10, maxResponseBytes: 100_000 };

function apiRerankers(baseUrl: string): Array<[string, Reranker]> {
  return [
    ['Cohere', new CohereReranker({ ...API_OPTIONS, baseUrl, apiKey: 'sk-fuzz-key-0123456789' })],
    ['Jina', new JinaReranker({ ...API_OPTIONS, baseUrl, apiKey: 'sk-fuzz-key-0123456789' })],
    ['Voyage', new VoyageReranker({ ...API_OPTIONS, baseUrl, apiKey: 'sk-fuzz-key-0123456789' })],
    ['Mixedbread', new MixedbreadReranker({ ...API_OPTIONS, baseUrl, apiKey: 'sk-fuzz-key-0123456789' })],
    ['TEI', new TeiReranker({ ...API_OPTIONS, baseUrl, batchSize: 3 })],
  ];
}

/** A result list must be a valid ranking of `documents`. */
function checkRanking(results: unknown, count: number, rawLogits = false): void {
  expect(Array.isArray(results)).toBe(true);
  for (const result of results as Array<{ index: number; score: number }>) {
    expect(Number.isInteger(result.index) && result.index >= 0 && result.index < count).toBe(true);
    // Models that declare an identity activation score with raw logits; every other score is in [0, 1].
    expect(rawLogits ? Number.isFinite(result.score) : result.score >= 0 && result.score <= 1).toBe(true);
  }
}

let faultRate = 0.5;
let server: FaultServer;
let modelDir: string;
let engine: CrossEncoder;

beforeAll(async () => {
  server = await startFaultServer(() => faultRate);
  ({ dir: modelDir } = await createTestCrossEncoder({ dir: defaultTestModelDir('fuzz'), ...TEST_MODEL_SHAPES.tiny, seed: 5 }));
  engine = await CrossEncoder.load(modelDir);
});

afterAll(async () => {
  await engine?.dispose();
  await server?.close();
});

describe(`fuzz (seed ${SEED}, ${RUNS} runs per target)`, () => {
  test('API rerankers and FallbackReranker: typed failures only, then they still work', async () => {
    const rerankers = apiRerankers(server.baseUrl);
    const fallback = new FallbackReranker(rerankers.map(([, r]) => r));
    const targets: Array<[string, Reranker]> = [...rerankers, ['Fallback', fallback]];
    for (let run = 0; run < RUNS; run++) {
      const [name, reranker] = pick(targets);
      const args = [chance(0.85) ? text() : oddValue(), documentsArg(), rerankOptionsArg()];
      await probe(`${name}.rerank`, args, (q, d, o) => reranker.rerank(q as string, d as string[], o as never));
    }
    // Constructors: only typed errors for absurd options.
    for (let run = 0; run < RUNS; run++) {
      const options: Record<string, unknown> = { baseUrl: chance(0.7) ? server.baseUrl : oddValue(), apiKey: chance(0.7) ? 'k' : oddValue() };
      for (const key of ['timeoutMs', 'maxRetries', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'batchSize', 'concurrency', 'fetch', 'maxResponseBytes', 'model']) {
        if (chance(0.2)) options[key] = oddValue();
      }
      const make = pick<(o: never) => unknown>([(o) => new CohereReranker(o), (o) => new JinaReranker(o), (o) => new VoyageReranker(o), (o) => new MixedbreadReranker(o), (o) => new TeiReranker(o)]);
      await probe('new ApiReranker', [chance(0.1) ? oddValue() : options], (o) => make(o as never));
      await probe('new FallbackReranker', [chance(0.5) ? oddValue() : [oddValue()], chance(0.5) ? oddValue() : {}], (r, o) => new FallbackReranker(r as never, o as never));
    }
    faultRate = 0;
    const documents = ['s=0.2 a', 's=0.9 b', 's=0.5 c'];
    for (const [, reranker] of targets) {
      expect(await reranker.rerank('q', documents)).toEqual([{ index: 1, score: 0.9 }, { index: 2, score: 0.5 }, { index: 0, score: 0.2 }]);
    }
    faultRate = 0.5;
    expect(unhandled).toEqual([]);
  });

  test('CrossEncoder: rerank, predict and load reject only typed errors, then it still works', async () => {
    const expected = await engine.rerank('docker network', ['docker bridge network', 'winter ferry']);
    for (let run = 0; run < RUNS; run++) {
      const which = random();
      if (which < 0.45) {
        const args = [chance(0.85) ? text() : oddValue(), documentsArg(), rerankOptionsArg()];
        const thrown = await probe('CrossEncoder.rerank', args, (q, d, o) => engine.rerank(q as string, d as string[], o as never));
        if (thrown === undefined) checkRanking(await engine.rerank(args[0] as string, Array.from(args[1] as string[]), {}).catch(() => []), (args[1] as unknown[]).length, engine.info.activation === 'identity');
      } else if (which < 0.9) {
        const pairs = chance(0.15) ? oddValue() : Array.from({ length: Math.floor(random() * 5) }, () => (chance(0.85) ? [text(), text()] : pick([oddValue(), [text()], [text(), 1], new Array(2)])));
        if (Array.isArray(pairs) && chance(0.1)) pairs.length += 1;
        await probe('CrossEncoder.predict', [pairs, chance(0.7) ? undefined : chance(0.5) ? oddValue() : { signal: oddValue() }], (p, o) => engine.predict(p as never, o as never));
      } else {
        const options: Record<string, unknown> = {};
        for (const key of ['dtype', 'maxLength', 'threads', 'batchSize', 'maxBatchTokens', 'localFilesOnly', 'cacheDir', 'revision', 'onProgress', 'sessionOptions']) {
          if (chance(0.3)) options[key] = oddValue();
        }
        // Always at least one absurd count, so a load never really starts (that would take seconds).
        options[pick(['threads', 'batchSize', 'maxBatchTokens', 'maxLength'])] = pick([0, -3, 1e12, 2.5, '4']);
        await probe('CrossEncoder.load', [chance(0.8) ? modelDir : oddValue(), chance(0.1) ? oddValue() : options], (m, o) => CrossEncoder.load(m as string, o as never));
      }
    }
    expect(await engine.rerank('docker network', ['docker bridge network', 'winter ferry'])).toEqual(expected);
    expect(unhandled).toEqual([]);
  });

  test('LangChain and LlamaIndex adapters: typed failures only, then they still work', async () => {
    const [, jina] = apiRerankers(server.baseUrl)[1]!;
    const langchain = [new CrossEncoderReranker({ reranker: engine }), new CrossEncoderReranker({ reranker: jina })];
    const llamaindex = [new CrossEncoderRerank({ reranker: engine }), new CrossEncoderRerank({ reranker: jina })];
    const docs = (): unknown => {
      if (chance(0.15)) return oddValue();
      return Array.from({ length: Math.floor(random() * 6) }, () => (chance(0.85) ? new Document({ pageContent: goodDocument(), metadata: { n: 1 } }) : chance(0.5) ? goodDocument() : oddValue()));
    };
    const nodes = (): unknown => {
      if (chance(0.15)) return oddValue();
      return Array.from({ length: Math.floor(random() * 6) }, (): unknown => (chance(0.85) ? ({ node: new TextNode({ text: goodDocument() }), score: random() } satisfies NodeWithScore) : oddValue()));
    };
    for (let run = 0; run < RUNS; run++) {
      const which = random();
      if (which < 0.35) {
        await probe('CrossEncoderReranker.compressDocuments', [docs(), chance(0.85) ? text() : oddValue()], (d, q) => pick(langchain).compressDocuments(d as never, q as string));
      } else if (which < 0.6) {
        await probe('CrossEncoderReranker.rerank', [docs(), chance(0.85) ? text() : oddValue(), rerankOptionsArg()], (d, q, o) => pick(langchain).rerank(d as never, q as string, o as never));
      } else if (which < 0.9) {
        await probe('CrossEncoderRerank.postprocessNodes', [nodes(), chance(0.85) ? text() : oddValue()], (n, q) => pick(llamaindex).postprocessNodes(n as never, q as never));
      } else {
        const fields: Record<string, unknown> = chance(0.5) ? { reranker: engine } : { model: chance(0.5) ? modelDir : oddValue() };
        for (const key of ['topN', 'scoreThreshold', 'scoreKey', 'metadataMode', 'keepRetrievalScore', 'modelOptions']) if (chance(0.3)) fields[key] = oddValue();
        await probe('new CrossEncoderReranker', [chance(0.1) ? oddValue() : fields], (f) => new CrossEncoderReranker(f as never));
        await probe('new CrossEncoderRerank', [chance(0.1) ? oddValue() : fields], (f) => new CrossEncoderRerank(f as never));
      }
    }
    faultRate = 0;
    const kept = await langchain[1]!.compressDocuments([new Document({ pageContent: 's=0.2 a' }), new Document({ pageContent: 's=0.9 b' })], 'q');
    expect(kept.map((d) => d.pageContent)).toEqual(['s=0.9 b', 's=0.2 a']);
    const ranked = await llamaindex[1]!.postprocessNodes([{ node: new TextNode({ text: 's=0.2 a' }) }, { node: new TextNode({ text: 's=0.9 b' }) }], 'q');
    expect(ranked.map((n) => n.score)).toEqual([0.9, 0.2]);
    expect((await langchain[0]!.rerank(['docker bridge', 'ferry'], 'docker'))).toHaveLength(2);
    faultRate = 0.5;
    // Disposing an adapter refuses later calls with a typed error, and leaves a given reranker usable.
    await langchain[0]!.dispose();
    await probe('disposed CrossEncoderReranker', [['a'], 'q'], (d, q) => langchain[0]!.rerank(d as never, q as string).then(() => {
      throw new Error('a disposed adapter answered');
    }));
    expect(await engine.rerank('q', ['a'])).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });
});
