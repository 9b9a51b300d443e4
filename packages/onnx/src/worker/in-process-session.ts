import type { ClassifierSession } from '../classifier-session.js';

/** What runs the batches: a classifier's session or a causal-LM reranker's (`CausalLmSession`). */
type BatchScorer = Pick<ClassifierSession, 'wantsTokenTypes' | 'numLogits' | 'scorePacked' | 'dispose'>;
import { JobQueue } from './job-queue.js';
import type { PackedBatch } from './packed-batch.js';
import type { ScoringSession } from './scoring-session.js';

/**
 * Forward passes on the calling thread (`workers: 0`), one at a time: a pass on one ONNX session
 * already uses every core, so concurrent calls take turns batch by batch.
 */
export class InProcessSession implements ScoringSession {
  readonly parallelism = 1;
  private readonly session: BatchScorer;
  private readonly queue = new JobQueue();
  private running: Promise<void> | undefined;

  constructor(session: BatchScorer) {
    this.session = session;
  }

  get wantsTokenTypes(): boolean {
    return this.session.wantsTokenTypes;
  }

  get numLogits(): number | undefined {
    return this.session.numLogits;
  }

  score(batch: PackedBatch, signal?: AbortSignal): Promise<Float32Array> {
    const scored = this.queue.add(batch, signal);
    this.running ??= this.drain();
    return scored;
  }

  async dispose(): Promise<void> {
    await this.running;
    await this.session.dispose();
  }

  private async drain(): Promise<void> {
    // Start on a later microtask, so the batches of calls made in the same tick queue in order.
    await Promise.resolve();
    for (let job = this.queue.take(); job; job = this.queue.take()) {
      try {
        job.resolve(await this.session.scorePacked(job.batch));
      } catch (error) {
        job.reject(error);
      }
    }
    this.running = undefined;
  }
}
