// One benchmark variant in its own process, so its peak RSS and load time are its own. The parent
// sends `run` messages in turn to every worker; only one worker computes at any time.
import { BatchProbe } from './batch-probe.js';
import { loadOrt } from './ort.js';
import { PeakProbe } from './peak.js';
import type { CallRss, FromWorker, ToWorker, WorkerSpec } from './protocol.js';
import { loadBaseline, loadCrossEncoder, type Scorer } from './scorers.js';

const ort = loadOrt();
const probe = new BatchProbe(ort);
let scorer: Scorer | undefined;
let peak: PeakProbe | undefined;

function send(message: FromWorker): void {
  process.send!(message);
}

async function init(spec: WorkerSpec): Promise<void> {
  const started = performance.now();
  if (spec.kind === 'peak') {
    peak = await PeakProbe.create(ort, spec.size, spec.threads, spec.repeats);
    send({ type: 'ready', loadMs: performance.now() - started, info: { size: spec.size, threads: spec.threads } });
    return;
  }
  scorer = spec.kind === 'baseline' ? await loadBaseline(spec.modelDir) : await loadCrossEncoder(spec.modelDir, spec.dtype, spec.options);
  const loadMs = performance.now() - started;
  probe.take();
  send({ type: 'ready', loadMs, info: scorer.info });
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init':
      return init(message.spec);
    case 'run': {
      if (peak) {
        const ms = await peak.measure();
        return send({ type: 'ran', ms, top: [], batches: [], flops: peak.flops });
      }
      probe.take();
      const rss = watchRss();
      const started = performance.now();
      const top = await scorer!.top(message.set!, message.topN);
      const ms = performance.now() - started;
      return send({ type: 'ran', ms, top, batches: probe.take(), rss: rss.stop() });
    }
    case 'logits': {
      const logits = await scorer!.logits(message.set);
      probe.take();
      const pairLengths = scorer!.pairLengths?.(message.set);
      return send(pairLengths ? { type: 'logits', logits, pairLengths } : { type: 'logits', logits });
    }
    case 'exit':
      // maxRSS is in kilobytes on Linux and macOS.
      send({ type: 'final', maxRssKb: process.resourceUsage().maxRSS });
      process.disconnect();
      return;
  }
}

/**
 * Samples resident memory while a call runs. The timer fires between forward passes (each one
 * yields to the event loop), which is where a call's memory peaks: the pass's inputs and outputs.
 */
function watchRss(): { stop(): CallRss } {
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const beforeMb = mb();
  let peakMb = beforeMb;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, mb())), 2);
  return {
    stop: () => {
      clearInterval(timer);
      return { beforeMb, peakMb: Math.max(peakMb, mb()) };
    },
  };
}

// Messages are handled one at a time, in order.
let chain = Promise.resolve();
process.on('message', (message: ToWorker) => {
  chain = chain
    .then(() => handle(message))
    .catch((error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    });
});
