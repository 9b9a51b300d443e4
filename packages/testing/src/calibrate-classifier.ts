import { referencePooled, type TokenSequence } from './bert-reference.js';
import type { BertShape, BertWeights } from './bert-weights.js';
import { specOf } from './architecture.js';
import { deriveSeed, SeededRandom } from './prng.js';

/**
 * Logit spread the classifier is scaled to over the calibration pairs. A random head gives logits
 * that are nearly constant (and far from 0, so sigmoid scores saturate); a calibrated one spreads
 * them around 0, so rankings, thresholds and padding mistakes all show in the scores.
 */
export const TARGET_LOGIT_STD = 3;

const CLS = 101;
const SEP = 102;
const FULL_STOP = 1012;
// the of and in to a is was for on with by as that it an be from this at or , (ids in vocab.txt)
const FUNCTION_WORDS = [1996, 1997, 1998, 1999, 2000, 1037, 2003, 2001, 2005, 2006, 2007, 2011, 2004, 2008, 2009, 2019, 2022, 2013, 2023, 2012, 2030, 1010];
// what how who does can
const QUESTION_WORDS = [2054, 2129, 2040, 2515, 2064];
// vocab.txt lists whole words roughly by frequency from "the" (1996) on.
const FIRST_CONTENT_ID = 2050;
const CONTENT_RANGE = 20000;
// Enough pairs to estimate the logit's spread within ~15%, few enough that the float64 pass over a
// MiniLM-sized model stays at a few seconds.
const CALIBRATION_PAIRS = 20;

/**
 * Sets the classifier so the logit (for two labels: logit[1] - logit[0]) over pseudo query/passage
 * pairs has mean 0 and std TARGET_LOGIT_STD. The direction is random; only its scale and the bias
 * are fitted, from a float64 reference forward pass, so the result is identical on every machine.
 */
export function calibrateClassifier(shape: BertShape, weights: BertWeights, seed: number): void {
  const { hidden } = shape;
  const direction = new SeededRandom(deriveSeed(seed, 'classifier.weight')).bellShaped(hidden, 1);
  const raw = calibrationPairs(shape, seed).map((sequence) => {
    const pooled = referencePooled(shape, weights, sequence);
    let dot = 0;
    for (let j = 0; j < hidden; j++) dot += direction[j]! * pooled[j]!;
    return dot;
  });
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
  // A degenerate network (all pooled vectors equal) would divide by zero; keep the raw direction then.
  const scale = std > 1e-9 ? TARGET_LOGIT_STD / std : 1;

  const { weight, bias } = weights.classifier;
  if (shape.numLabels === 1) {
    for (let j = 0; j < hidden; j++) weight[j] = direction[j]! * scale;
    bias[0] = -mean * scale;
  } else {
    // Antisymmetric rows: softmax(logits)[1] equals sigmoid of the one-label model's logit.
    for (let j = 0; j < hidden; j++) {
      weight[j * 2] = (-direction[j]! * scale) / 2;
      weight[j * 2 + 1] = (direction[j]! * scale) / 2;
    }
    bias[0] = (mean * scale) / 2;
    bias[1] = (-mean * scale) / 2;
  }
}

/**
 * Pseudo query/passage pairs shaped like real ones: queries of 2-8 words, passages of 6-20 that
 * repeat some query words, both mixing frequent function words and punctuation with content words.
 */
export function calibrationPairs(shape: BertShape, seed: number): TokenSequence[] {
  const random = new SeededRandom(deriveSeed(seed, 'calibration'));
  const pick = (ids: readonly number[]): number => ids[random.int(0, ids.length - 1)]!;
  // Content words, biased towards the frequent end of the vocabulary.
  const content = (): number => FIRST_CONTENT_ID + ((random.next() * random.next() * CONTENT_RANGE) | 0);
  const word = (): number => (random.next() < 0.3 ? pick(FUNCTION_WORDS) : content());
  const spec = specOf(shape);
  const budget = shape.maxPositions - (spec.doubleSep ? 4 : 3);
  const pairs: TokenSequence[] = [];
  for (let n = 0; n < CALIBRATION_PAIRS; n++) {
    const queryLength = Math.max(1, Math.min(random.int(2, 8), Math.floor(budget / 3)));
    const query = Array.from({ length: queryLength }, (_, i) => (i === 0 && random.next() < 0.5 ? pick(QUESTION_WORDS) : word()));
    const passageLength = Math.max(1, Math.min(random.int(6, 20), budget - queryLength));
    const passage = Array.from({ length: passageLength }, (_, i) =>
      i === passageLength - 1 ? FULL_STOP : random.next() < 0.2 ? pick(query) : word(),
    );
    pairs.push(spec.architecture === 'xlm-roberta'
      ? { inputIds: [spec.cls, ...query, spec.sep, spec.sep, ...passage, spec.sep], tokenTypeIds: new Array<number>(queryLength + passageLength + 4).fill(0) }
      : {
          inputIds: [CLS, ...query, SEP, ...passage, SEP],
          tokenTypeIds: [...new Array<number>(queryLength + 2).fill(0), ...new Array<number>(passageLength + 1).fill(1)],
        });
  }
  return pairs;
}
