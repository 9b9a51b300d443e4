import { InvalidInputError } from '@crossrank/core';
import type { MessageContent } from 'llamaindex';
import { MissingQueryError } from './errors.js';

const HOW_TO_FIX =
  'Call postprocessNodes(nodes, query) with the question text, or use the reranker through a query/chat engine, which passes it.';

/**
 * The text a cross-encoder ranks against. Mirrors LlamaIndex's own `extractText` (which we do not
 * import, to load nothing from llamaindex at run time): a string as is, a multi-modal
 * `MessageContent` as its text parts joined by blank lines, a `{ query }` bundle unwrapped.
 */
export function queryText(query: MessageContent | { query: MessageContent } | undefined | null): string {
  if (query === undefined || query === null) {
    throw new MissingQueryError(`CrossEncoderRerank needs a query to rank the nodes against, got ${String(query)}. ${HOW_TO_FIX}`);
  }
  if (typeof query === 'object' && !Array.isArray(query) && 'query' in query) return queryText(query.query);
  let text: string;
  if (typeof query === 'string') {
    text = query;
  } else if (Array.isArray(query)) {
    text = query
      .filter((part): part is { type: 'text'; text: string } => part?.type === 'text' && typeof part.text === 'string')
      .map((part) => part.text)
      .join('\n\n');
  } else {
    throw new InvalidInputError(`query must be a string or a MessageContent array, got ${typeof query}. ${HOW_TO_FIX}`);
  }
  // A blank query would still produce scores, but they would rank the nodes by nothing at all.
  if (text.trim() === '') {
    throw new MissingQueryError(`CrossEncoderRerank got a query with no text to rank the nodes against (images or other non-text parts only, or blank). ${HOW_TO_FIX}`);
  }
  return text;
}
