import { TokenizerNotFoundError } from './errors.js';

/** One piece of a pair template: a special token, or one of the two sequences. */
export type TemplatePiece =
  | { kind: 'special'; id: number; typeId: number }
  | { kind: 'sequence'; which: 'A' | 'B'; typeId: number };

/**
 * How a (query, document) pair becomes one sequence, read from the tokenizer's own post-processor
 * (tokenizer.json), so BERT (`[CLS] A [SEP] B [SEP]`), RoBERTa/XLM-R (`<s> A </s></s> B </s>`) and
 * template-based tokenizers all come out exactly as Hugging Face tokenizers build them.
 */
export interface PairTemplate {
  pieces: readonly TemplatePiece[];
  /** Number of special tokens the template adds; truncation budgets the texts around them. */
  specialCount: number;
}

interface PostProcessorJson {
  type?: string;
  cls?: [string, number];
  sep?: [string, number];
  pair?: Array<{ SpecialToken?: { id: string; type_id: number }; Sequence?: { id: 'A' | 'B'; type_id: number } }>;
  special_tokens?: Record<string, { id: string; ids: number[] }>;
  processors?: PostProcessorJson[];
}

export function pairTemplateFromPostProcessor(config: PostProcessorJson | null | undefined): PairTemplate {
  if (!config) {
    throw new TokenizerNotFoundError(
      'The tokenizer has no post-processor, so it does not say how to join a (query, document) pair. ' +
        'Use a cross-encoder tokenizer (tokenizer.json with a BertProcessing, RobertaProcessing or TemplateProcessing post_processor).',
    );
  }
  switch (config.type) {
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const cls = config.cls?.[1];
      const sep = config.sep?.[1];
      if (cls === undefined || sep === undefined) break;
      // RoBERTa puts two separators between the texts and uses a single token type.
      const roberta = config.type === 'RobertaProcessing';
      const b = roberta ? 0 : 1;
      const pieces: TemplatePiece[] = [
        { kind: 'special', id: cls, typeId: 0 },
        { kind: 'sequence', which: 'A', typeId: 0 },
        { kind: 'special', id: sep, typeId: 0 },
        ...(roberta ? [{ kind: 'special', id: sep, typeId: b } as TemplatePiece] : []),
        { kind: 'sequence', which: 'B', typeId: b },
        { kind: 'special', id: sep, typeId: b },
      ];
      return withCount(pieces);
    }
    case 'TemplateProcessing': {
      const pieces: TemplatePiece[] = [];
      for (const item of config.pair ?? []) {
        if (item.Sequence) {
          pieces.push({ kind: 'sequence', which: item.Sequence.id, typeId: item.Sequence.type_id });
        } else if (item.SpecialToken) {
          const ids = config.special_tokens?.[item.SpecialToken.id]?.ids ?? [];
          for (const id of ids) pieces.push({ kind: 'special', id, typeId: item.SpecialToken.type_id });
        }
      }
      if (pieces.some((p) => p.kind === 'sequence' && p.which === 'B')) return withCount(pieces);
      break;
    }
    case 'Sequence': {
      const inner = config.processors?.find((p) => ['BertProcessing', 'RobertaProcessing', 'TemplateProcessing'].includes(p.type ?? ''));
      if (inner) return pairTemplateFromPostProcessor(inner);
      break;
    }
  }
  throw new TokenizerNotFoundError(
    `The tokenizer's post-processor (${config.type ?? 'unknown'}) does not define how to encode a pair. ` +
      'A cross-encoder needs a tokenizer that joins two texts (BERT-, RoBERTa- or template-style).',
  );
}

function withCount(pieces: TemplatePiece[]): PairTemplate {
  return { pieces, specialCount: pieces.filter((p) => p.kind === 'special').length };
}
