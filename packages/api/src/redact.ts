/** Longest provider text kept in an error message. */
export const SNIPPET_CHARS = 300;
/** Shortest key prefix treated as a fragment of the key when it ends a cut text. */
const MIN_FRAGMENT = 4;

/** A provider may echo the key back ("invalid key sk-…"); it must never reach an error message. */
export function scrub<T extends string | undefined>(text: T, secret: string | undefined): T {
  if (text === undefined || secret === undefined || secret === '') return text;
  return text.split(secret).join('[redacted]') as T;
}

/**
 * Provider text as it may appear in an error: whitespace flattened, the key redacted, then cut to
 * `max` characters. Redacting before cutting matters: a key straddling the cut would otherwise lose
 * its tail, no longer match, and survive as a fragment. A cut text that still ends with the start of
 * the key (the provider itself echoed part of it) has that fragment redacted too.
 */
export function redactedSnippet(text: string, secret: string | undefined, max = SNIPPET_CHARS): string {
  const flat = scrub(text.replace(/\s+/g, ' ').trim(), secret);
  if (flat.length <= max) return redactFragmentAtEnd(flat, secret);
  return `${redactFragmentAtEnd(flat.slice(0, max), secret)}…`;
}

function redactFragmentAtEnd(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < MIN_FRAGMENT) return text;
  for (let length = Math.min(secret.length - 1, text.length); length >= MIN_FRAGMENT; length--) {
    if (text.endsWith(secret.slice(0, length))) return `${text.slice(0, text.length - length)}[redacted]`;
  }
  return text;
}
