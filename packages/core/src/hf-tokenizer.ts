import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { pairTemplateFromPostProcessor, type PairTemplate } from './pair-template.js';
import type { TextTokenizer, TextTokens } from './pair-encoder.js';

/**
 * Adapts a transformers.js tokenizer to the engine: it is used only to turn one text into ids
 * (normalizer, pre-tokenizer, WordPiece/BPE/Unigram). Joining and truncating the pair is ours,
 * because transformers.js cuts a joined pair's tail and can drop the final separator.
 */
export class HfTextTokenizer implements TextTokenizer {
  private readonly tokenizer: PreTrainedTokenizer;

  constructor(tokenizer: PreTrainedTokenizer) {
    this.tokenizer = tokenizer;
  }

  tokenize(text: string): TextTokens {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }

  pairTemplate(): PairTemplate {
    const postProcessor = (this.tokenizer as unknown as { post_processor?: { config?: unknown } }).post_processor;
    return pairTemplateFromPostProcessor(postProcessor?.config as Parameters<typeof pairTemplateFromPostProcessor>[0]);
  }

  /** The tokenizer's own limit (`model_max_length`), when it states a sane one. */
  modelMaxLength(): number | undefined {
    const value = (this.tokenizer as unknown as { model_max_length?: number }).model_max_length;
    return typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 1e6 ? value : undefined;
  }
}
