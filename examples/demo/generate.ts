import { GenerationError } from './errors.js';

export const ANSWER_MODEL = 'gpt-4o-mini';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface ContextPassage {
  id: string;
  text: string;
}

export interface GenerateOptions {
  apiKey: string;
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` (the official SDK reads OPENAI_BASE_URL too). */
  baseUrl?: string;
  model?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SYSTEM_PROMPT =
  'Answer the question using only the numbered passages. Cite the passage ids you used in square brackets. ' +
  'If the passages do not contain the answer, say so in one sentence. Keep the answer under 120 words.';

/** Builds the Chat Completions messages: the reranked passages become the model's only context. */
export function buildMessages(question: string, passages: readonly ContextPassage[]): Array<{ role: 'system' | 'user'; content: string }> {
  const context = passages.map((p) => `[${p.id}] ${p.text}`).join('\n\n');
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Passages:\n${context}\n\nQuestion: ${question}` },
  ];
}

/**
 * Asks an OpenAI Chat Completions endpoint with plain `fetch` (no SDK: one POST is all the demo needs).
 * Every failure becomes a one-line `GenerationError` that says what to check.
 */
export async function generateAnswer(question: string, passages: readonly ContextPassage[], options: GenerateOptions): Promise<string> {
  const baseUrl = (options.baseUrl || DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
  const url = `${baseUrl}/chat/completions`;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({ model: options.model ?? ANSWER_MODEL, messages: buildMessages(question, passages), temperature: 0.2 }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = error as Error & { cause?: { code?: string; message?: string } };
    const reason = cause.name === 'TimeoutError' ? `no answer within ${(options.timeoutMs ?? 30_000) / 1000} s` : (cause.cause?.code ?? cause.cause?.message ?? cause.message);
    throw new GenerationError(`could not reach ${url} (${reason}); check your network connection or OPENAI_BASE_URL.`, { cause: error });
  }
  const body = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const apiMessage = (json as { error?: { message?: unknown } } | undefined)?.error?.message;
    const detail = (typeof apiMessage === 'string' ? apiMessage : body.slice(0, 200)).trim().replace(/\.$/, '');
    const hint = response.status === 401 ? ' Check OPENAI_API_KEY.' : response.status === 429 ? ' Rate limited or out of quota; try again later.' : '';
    throw new GenerationError(oneLine(`${url} answered ${response.status} ${response.statusText}: ${detail}.${hint}`));
  }
  const content = (json as { choices?: Array<{ message?: { content?: unknown } }> } | undefined)?.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new GenerationError(oneLine(`${url} returned no answer text (body: ${body.slice(0, 200)}).`));
  }
  return content.trim();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
