/** Upper bounds of the latency histogram, in seconds (Prometheus `le`). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The server's counters in Prometheus text format (version 0.0.4): requests by route and status,
 * request latency by route, documents scored, and the queue (waiting and in flight, read live).
 */
export class ServeMetrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, { counts: number[]; sum: number; count: number }>();
  #documents = 0;

  constructor(private readonly gauges: () => { queueDepth: number; inFlight: number; ready: boolean }) {}

  observe(route: string, status: number, seconds: number): void {
    const key = `route="${route}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let histogram = this.#latency.get(route);
    if (!histogram) this.#latency.set(route, (histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) histogram!.counts[i]!++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  documentsScored(count: number): void {
    this.#documents += count;
  }

  render(): string {
    const lines: string[] = [];
    lines.push('# HELP crossrank_requests_total HTTP requests by route and status.', '# TYPE crossrank_requests_total counter');
    for (const [labels, value] of this.#requests) lines.push(`crossrank_requests_total{${labels}} ${value}`);
    lines.push('# HELP crossrank_request_duration_seconds Time from request to response, by route.', '# TYPE crossrank_request_duration_seconds histogram');
    for (const [route, h] of this.#latency) {
      BUCKETS.forEach((bound, i) => lines.push(`crossrank_request_duration_seconds_bucket{route="${route}",le="${bound}"} ${h.counts[i]}`));
      lines.push(`crossrank_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      lines.push(`crossrank_request_duration_seconds_sum{route="${route}"} ${h.sum}`);
      lines.push(`crossrank_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    const { queueDepth, inFlight, ready } = this.gauges();
    lines.push('# HELP crossrank_documents_scored_total Documents scored by the model.', '# TYPE crossrank_documents_scored_total counter', `crossrank_documents_scored_total ${this.#documents}`);
    lines.push('# HELP crossrank_queue_depth Rerank requests waiting for the model.', '# TYPE crossrank_queue_depth gauge', `crossrank_queue_depth ${queueDepth}`);
    lines.push('# HELP crossrank_in_flight Rerank requests being scored.', '# TYPE crossrank_in_flight gauge', `crossrank_in_flight ${inFlight}`);
    lines.push('# HELP crossrank_ready 1 once the model is loaded.', '# TYPE crossrank_ready gauge', `crossrank_ready ${ready ? 1 : 0}`);
    return `${lines.join('\n')}\n`;
  }
}
