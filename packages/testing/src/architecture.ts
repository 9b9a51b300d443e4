import { LAYER_NORM_EPS, TYPE_VOCAB_SIZE, VOCAB_SIZE, type BertShape } from './bert-weights.js';

/** The sequence classifiers `@crossrank/testing` can generate. */
export type TestArchitecture = 'bert' | 'electra' | 'xlm-roberta';

export const TEST_ARCHITECTURES: readonly TestArchitecture[] = ['bert', 'electra', 'xlm-roberta'];

/** What differs between the generated architectures (all share BERT's encoder layers). */
export interface ArchitectureSpec {
  architecture: TestArchitecture;
  /** Hugging Face class and model_type written to config.json. */
  className: string;
  modelType: string;
  /** ONNX initializer prefix, as the PyTorch exporter names the encoder. */
  prefix: string;
  typeVocabSize: number;
  layerNormEps: number;
  /** Whether the ONNX graph takes `token_type_ids` (XLM-R's export does not). */
  tokenTypes: boolean;
  /**
   * RoBERTa counts position ids from the padding id: real tokens get padding_idx + 1 + t, padding
   * gets padding_idx, so the table has two extra rows. Undefined: BERT's absolute 0..n-1.
   */
  paddingIdx: number | undefined;
  /** Activation between the head's dense layer and the classifier. */
  headActivation: 'tanh' | 'gelu';
  /** Special ids of the pair template: `cls A sep [sep] B sep`. */
  cls: number;
  sep: number;
  doubleSep: boolean;
  pad: number;
}

const BERT_IDS = { cls: 101, sep: 102, pad: 0 };

export function specOf(shape: Pick<BertShape, 'architecture'>): ArchitectureSpec {
  switch (shape.architecture ?? 'bert') {
    case 'bert':
      return { architecture: 'bert', className: 'BertForSequenceClassification', modelType: 'bert', prefix: 'bert', typeVocabSize: TYPE_VOCAB_SIZE, layerNormEps: LAYER_NORM_EPS, tokenTypes: true, paddingIdx: undefined, headActivation: 'tanh', ...BERT_IDS, doubleSep: false };
    case 'electra':
      // ELECTRA's head: dense, GELU, out_proj on the first token (no pooler); BERT's vocabulary.
      return { architecture: 'electra', className: 'ElectraForSequenceClassification', modelType: 'electra', prefix: 'electra', typeVocabSize: TYPE_VOCAB_SIZE, layerNormEps: LAYER_NORM_EPS, tokenTypes: true, paddingIdx: undefined, headActivation: 'gelu', ...BERT_IDS, doubleSep: false };
    case 'xlm-roberta':
      // XLMRobertaClassificationHead: dense, tanh, out_proj on <s>; ids of XLM-R's fairseq vocabulary.
      return { architecture: 'xlm-roberta', className: 'XLMRobertaForSequenceClassification', modelType: 'xlm-roberta', prefix: 'roberta', typeVocabSize: 1, layerNormEps: 1e-5, tokenTypes: false, paddingIdx: 1, headActivation: 'tanh', cls: 0, sep: 2, pad: 1, doubleSep: true };
  }
}

/** Rows of the position table: RoBERTa's two extra rows sit below the first real position. */
export function positionRows(shape: BertShape): number {
  const spec = specOf(shape);
  return shape.maxPositions + (spec.paddingIdx === undefined ? 0 : spec.paddingIdx + 1);
}

export function vocabSizeOf(shape: BertShape): number {
  return shape.vocabSize ?? VOCAB_SIZE;
}

export function embeddingSizeOf(shape: BertShape): number {
  return shape.embeddingSize ?? shape.hidden;
}
