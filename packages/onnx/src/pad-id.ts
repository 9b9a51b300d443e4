/**
 * The id batches are right-padded with: the tokenizer's pad token, else config.json's
 * `pad_token_id`, else 0 (BERT's [PAD]). XLM-RoBERTa pads with 1, and its position ids are counted
 * from that id inside the graph, so the two must agree.
 */
export function resolvePadId(tokenizer: unknown, config: Readonly<Record<string, unknown>>): number {
  const fromTokenizer = (tokenizer as { pad_token_id?: unknown } | null | undefined)?.pad_token_id;
  if (Number.isInteger(fromTokenizer) && (fromTokenizer as number) >= 0) return fromTokenizer as number;
  const fromConfig = config['pad_token_id'];
  if (Number.isInteger(fromConfig) && (fromConfig as number) >= 0) return fromConfig as number;
  return 0;
}
