import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sigmoid, type Reranker, type RerankResult } from '@crossrank/core';
import { createBearerCheck } from './auth.js';
import { readJsonBody } from './body.js';
import { checkDocuments, DEFAULT_LIMITS, RequestRefused, type ServeLimits } from './limits.js';
import { ServeMetrics } from './metrics.js';
import { AdmissionQueue } from './queue.js';
import type { RequestLogEntry, RequestLogger } from './request-log.js';
import { cohereShape } from './shapes/cohere.js';
import { jinaShape } from './shapes/jina.js';
import type { RerankShape } from './shapes/shape.js';
import { teiShape } from './shapes/tei.js';

/** The three wire formats served at once, so existing clients work unchanged. */
export const RERANK_SHAPES: readonly RerankShape[] = [cohereShape, jinaShape, teiShape];

export interface RerankServerOptions {
  /** Any `Reranker` (a `CrossEncoder` in `crossrank serve`), or a promise of one: `/ready` answers 200 once it resolves. */
  reranker: Reranker | Promise<Reranker>;
  /**
   * The reranker returns raw logits (a CrossEncoder whose model declares an identity activation, like
   * ms-marco-MiniLM): the server maps them into [0, 1] with the sigmoid, in double precision, because
   * every client of these formats expects relevance scores there (TEI does the same), and serves TEI's
   * `raw_scores: true` untouched. Default: `false` (scores are served as the reranker returns them).
   * Read per request, so a getter can decide once the model has loaded (as `crossrank serve` does).
   */
  rawScores?: boolean;
  /** Model name reported in responses (Jina shape's `model`). Default: `crossrank`. */
  model?: string;
  /** Bearer key the rerank routes require (401 without it). `/health`, `/ready`, `/metrics` stay open for probes. */
  apiKey?: string;
  /** Per-request limits; missing fields keep `DEFAULT_LIMITS`. */
  limits?: Partial<ServeLimits>;
  /** Rerank calls handed to the reranker at once. Default: `2` (a CrossEncoder's worker pool takes them in parallel). */
  concurrency?: number;
  /** Requests that may wait for a slot; one more is refused with 429 and `Retry-After`. Default: `32`. */
  maxQueue?: number;
  /** Called once per request (see `jsonLines`). Default: no log. */
  log?: RequestLogger;
  /** How long `close()` waits for requests under way before cutting connections. Default: `30000`. */
  drainTimeoutMs?: number;
}

export interface RerankServer {
  readonly server: Server;
  readonly metrics: ServeMetrics;
  /** Listens on `host:port` (port 0: any free port) and returns the address. */
  listen(port?: number, host?: string): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, lets requests under way finish (up to `drainTimeoutMs`), then closes every connection. */
  close(): Promise<void>;
}

/**
 * A rerank server over one `Reranker`, on `node:http` alone. Stateless: run replicas behind any load
 * balancer. Load it cannot take is refused early (bounded queue, body and document limits), and
 * `close()` drains.
 *
 * @example
 * const { dir } = await createTestCrossEncoder();
 * const server = createRerankServer({ reranker: await CrossEncoder.load(dir), model: dir });
 * const { url } = await server.listen(8080);
 * // new CohereReranker({ baseUrl: url }) now ranks through it
 */
export function createRerankServer(options: RerankServerOptions): RerankServer {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const model = options.model ?? 'crossrank';
  const queue = new AdmissionQueue(options.concurrency ?? 2, options.maxQueue ?? 32);
  const authorized = options.apiKey === undefined ? undefined : createBearerCheck(options.apiKey);
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  let reranker: Reranker | undefined;
  let loadError: unknown;
  Promise.resolve(options.reranker).then(
    (loaded) => (reranker = loaded),
    (error: unknown) => (loadError = error),
  );
  const metrics = new ServeMetrics(() => ({ queueDepth: queue.depth, inFlight: queue.active, ready: reranker !== undefined }));
  let draining = false;
  let underWay = 0;
  let drained: (() => void) | undefined;

  const server = createServer((req, res) => {
    underWay++;
    handle(req, res).finally(() => {
      underWay--;
      if (draining && underWay === 0) drained?.();
    });
  });
  // Slow or stalled uploads must not hold a connection for the default five minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const shape = RERANK_SHAPES.find((s) => s.path === path);
    const entry: Partial<RequestLogEntry> = { method: req.method ?? '', path, route: shape?.name ?? utilityRoute(path) };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (draining) res.shouldKeepAlive = false;
      if (!res.headersSent && !res.destroyed) {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; version=0.0.4; charset=utf-8' : 'application/json', ...headers });
        res.end(text);
      }
      const seconds = (performance.now() - started) / 1000;
      metrics.observe(entry.route!, status, seconds);
      options.log?.({ time: new Date().toISOString(), ...entry, status, ms: Math.round(seconds * 10_000) / 10 } as RequestLogEntry);
    };
    const refuse = (refusal: RequestRefused) => {
      const { limit, max, retryAfterS } = refusal.detail;
      const extra = { ...(limit ? { limit, max } : {}) };
      const headers: Record<string, string> = retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) };
      if (refusal.status === 401) headers['www-authenticate'] = 'Bearer';
      // The unread rest of a refused body would be parsed as the next request: close instead.
      if (refusal.status === 413) headers['connection'] = 'close';
      entry.error = refusal.message;
      send(refusal.status, shape ? shape.errorBody(refusal.status, refusal.message, extra) : { error: { message: refusal.message, ...extra } }, headers);
    };

    try {
      if (draining) throw new RequestRefused(503, 'The server is shutting down; retry on another replica.', { retryAfterS: 1 });
      if (!shape) return utility(req, path, send);
      if (req.method !== 'POST') throw new RequestRefused(405, `${path} takes POST.`);
      if (authorized && !authorized(req.headers.authorization)) throw new RequestRefused(401, 'Missing or wrong API key: send "Authorization: Bearer <key>".');
      if (!reranker) {
        if (loadError !== undefined) throw new RequestRefused(503, 'The model failed to load; see the server log.');
        throw new RequestRefused(503, 'The model is still loading; retry shortly.', { retryAfterS: 1 });
      }
      // Refused before the body is parsed: under overload, a refusal must cost almost nothing.
      if (queue.full) {
        req.resume();
        throw queueFull();
      }
      const request = shape.parse(await readJsonBody(req, limits.maxBodyBytes));
      if (request.rawScores && !options.rawScores) {
        throw new RequestRefused(400, 'Raw scores were asked for, but this model already returns activated scores in [0, 1]. Send "raw_scores": false or leave it out.');
      }
      checkDocuments(request.query, request.documents, limits);
      entry.documents = request.documents.length;
      if (request.topN !== undefined) entry.topN = request.topN;

      // The client going away cancels its wait and its scoring.
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort(new Error('client disconnected'));
      });
      const waited = performance.now();
      const slot = queue.acquire(gone.signal);
      if (!slot) throw queueFull();
      const release = await slot;
      entry.queueMs = Math.round((performance.now() - waited) * 10) / 10;
      let results: RerankResult[];
      try {
        results = request.documents.length === 0 ? [] : await reranker.rerank(request.query, request.documents, { topN: request.topN, signal: gone.signal });
      } finally {
        release();
      }
      if (options.rawScores && !request.rawScores) results = results.map(({ index, score }) => ({ index, score: sigmoid(score) }));
      metrics.documentsScored(request.documents.length);
      send(200, shape.format(results, request, model));
    } catch (error) {
      if (error instanceof RequestRefused) return refuse(error);
      if (res.destroyed) {
        entry.error = 'client disconnected';
        return send(499, '');
      }
      entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const message = `Reranking failed: ${entry.error}`;
      send(500, shape ? shape.errorBody(500, message, {}) : { error: { message } });
    }
  }

  function queueFull(): RequestRefused {
    return new RequestRefused(429, `The queue is full (maxQueue ${queue.maxQueue} waiting); retry after the Retry-After seconds or on another replica.`, {
      limit: 'maxQueue',
      max: queue.maxQueue,
      retryAfterS: queue.retryAfterSeconds(),
    });
  }

  function utility(req: IncomingMessage, path: string, send: (status: number, body: unknown) => void): void {
    if (req.method !== 'GET' && (path === '/health' || path === '/ready' || path === '/metrics')) throw new RequestRefused(405, `${path} takes GET.`);
    if (path === '/health') return send(200, { status: 'ok' });
    if (path === '/ready') {
      if (reranker) return send(200, { status: 'ready', model });
      return send(503, { status: loadError === undefined ? 'loading' : 'failed' });
    }
    if (path === '/metrics') return send(200, metrics.render());
    throw new RequestRefused(404, `No route ${path}. Rerank at POST ${RERANK_SHAPES.map((s) => s.path).join(', ')}; GET /health, /ready, /metrics.`);
  }

  return {
    server,
    metrics,
    listen: (port = 8080, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${shown}:${address.port}` });
        });
      }),
    close: async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (underWay > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs))),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

function utilityRoute(path: string): string {
  return path === '/health' || path === '/ready' || path === '/metrics' ? path.slice(1) : 'other';
}
