import { fork, type ChildProcess } from 'node:child_process';
import type { FromWorker, ToWorker, WorkerSpec } from './protocol.js';

/** A worker process driven request by request: each message gets exactly one answer. */
export class WorkerHandle {
  private readonly child: ChildProcess;
  private readonly pending: Array<{ resolve: (m: FromWorker) => void; reject: (e: Error) => void }> = [];
  private stderr = '';
  private exited = false;

  constructor(
    readonly name: string,
    workerPath: string,
  ) {
    // The parent's execArgv carries tsx's loader, so the worker runs TypeScript the same way.
    this.child = fork(workerPath, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.child.on('message', (message: FromWorker) => {
      const waiter = this.pending.shift();
      if (!waiter) return;
      if (message.type === 'failed') waiter.reject(new Error(`worker ${this.name} failed: ${message.message}`));
      else waiter.resolve(message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`worker ${this.name} exited (code ${code}, signal ${signal}) before answering.${this.stderr ? ` Its stderr:\n${this.stderr}` : ''}`);
      for (const waiter of this.pending.splice(0)) waiter.reject(error);
    });
  }

  request<T extends FromWorker['type']>(message: ToWorker, expect: T): Promise<Extract<FromWorker, { type: T }>> {
    if (this.exited) return Promise.reject(new Error(`worker ${this.name} has exited.`));
    return new Promise((resolve, reject) => {
      this.pending.push({
        resolve: (answer) => {
          if (answer.type === expect) resolve(answer as Extract<FromWorker, { type: T }>);
          else reject(new Error(`worker ${this.name} answered ${answer.type} to ${message.type}; expected ${expect}.`));
        },
        reject,
      });
      this.child.send(message);
    });
  }

  init(spec: WorkerSpec): Promise<Extract<FromWorker, { type: 'ready' }>> {
    return this.request({ type: 'init', spec }, 'ready');
  }

  /** Asks for the peak RSS and lets the process end. */
  async finish(): Promise<number> {
    const { maxRssKb } = await this.request({ type: 'exit' }, 'final');
    return maxRssKb / 1024;
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }
}
