/**
 * Runs tasks one at a time, in arrival order. Forward passes on one ONNX session already use every
 * core; running two at once only makes both slower, so concurrent calls take turns batch by batch.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has finished. */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
