/** One request as logged: sizes and timings only, never a document, the query or a key. */
export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  /** The protocol shape (`cohere`, `jina`, `tei`) or the utility route (`health`, `metrics`, ...). */
  route: string;
  status: number;
  ms: number;
  documents?: number;
  topN?: number;
  /** Time spent waiting for a slot. */
  queueMs?: number;
  /** For a refusal or failure: what went wrong, in words. */
  error?: string;
}

export type RequestLogger = (entry: RequestLogEntry) => void;

/** Writes each entry as one JSON line, the format log collectors read without configuration. */
export function jsonLines(write: (line: string) => unknown): RequestLogger {
  return (entry) => write(`${JSON.stringify(entry)}\n`);
}
