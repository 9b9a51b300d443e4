/** What one request may carry; anything larger is refused before it reaches the model. */
export interface ServeLimits {
  /** Largest request body, in bytes (413 beyond). Default: `2097152` (2 MiB). */
  maxBodyBytes: number;
  /** Most documents in one request (400 beyond). Default: `1000`, Cohere's own recommendation. */
  maxDocuments: number;
  /** Longest query or document, in characters (400 beyond). Default: `20000`. */
  maxDocumentChars: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxDocuments: 1000,
  // A cross-encoder reads at most a few hundred tokens per pair; 20,000 characters is far past that
  // and still keeps one request's tokenization cheap.
  maxDocumentChars: 20_000,
};

/**
 * A request the server refuses, with the HTTP status and, for a limit, which one: the JSON error
 * names it (`limit`, `max`) so a client knows what to change.
 */
export class RequestRefused extends Error {
  override name = 'RequestRefused';
  constructor(
    readonly status: number,
    message: string,
    readonly detail: { limit?: keyof ServeLimits | 'maxQueue'; max?: number; retryAfterS?: number } = {},
  ) {
    super(message);
  }
}

/** Checks a parsed rerank request against the document limits. */
export function checkDocuments(query: string, documents: readonly string[], limits: ServeLimits): void {
  if (documents.length > limits.maxDocuments) {
    throw new RequestRefused(400, `Too many documents: ${documents.length} > maxDocuments ${limits.maxDocuments}. Split the list into several requests.`, {
      limit: 'maxDocuments',
      max: limits.maxDocuments,
    });
  }
  const longest = documents.reduce((most, document, index) => (document.length > most.length ? { index, length: document.length } : most), { index: -1, length: query.length });
  if (longest.length > limits.maxDocumentChars) {
    const what = longest.index < 0 ? 'The query' : `Document ${longest.index}`;
    throw new RequestRefused(400, `${what} is ${longest.length} characters > maxDocumentChars ${limits.maxDocumentChars}. Shorten or split it.`, {
      limit: 'maxDocumentChars',
      max: limits.maxDocumentChars,
    });
  }
}
