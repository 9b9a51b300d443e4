import { InvalidInputError, ModelFormatError } from './errors.js';
import { sigmoid } from './scores.js';
import { UNBOUNDED_SCORE_RANGE, UNIT_SCORE_RANGE, type ScoreRange } from './ranking.js';

/** How a raw model output becomes `score`. */
export type ScoreActivation = 'sigmoid' | 'identity' | 'softmax';

export const SCORE_ACTIVATIONS: readonly ScoreActivation[] = ['sigmoid', 'identity', 'softmax'];

/** The torch activations sentence-transformers writes to config.json, and what they are here. */
const TORCH_ACTIVATIONS: Readonly<Record<string, ScoreActivation>> = {
  'torch.nn.modules.activation.Sigmoid': 'sigmoid',
  'torch.nn.Sigmoid': 'sigmoid',
  'torch.nn.modules.linear.Identity': 'identity',
  'torch.nn.Identity': 'identity',
  'torch.nn.modules.activation.Softmax': 'softmax',
  'torch.nn.Softmax': 'softmax',
};

/** Where the activation came from, for `CrossEncoder.info`. */
export type ActivationSource = 'option' | 'config' | 'default';

export interface ResolvedActivation {
  activation: ScoreActivation;
  source: ActivationSource;
}

/**
 * The activation sentence-transformers (v4+) applies for this config, or the caller's override.
 * sentence-transformers reads `sentence_transformers.activation_fn`, then the pre-v4 key
 * `sbert_ce_default_activation_function`; it imports only `torch.*` paths without
 * trust_remote_code and otherwise falls back to its default (Sigmoid for one label). For several
 * labels its default is Identity, which returns one number per label; a ranking needs one number,
 * so there we take the positive class's softmax probability.
 */
export function resolveActivation(requested: unknown, config: Readonly<Record<string, unknown>>, numLabels: number): ResolvedActivation {
  if (requested !== undefined) {
    checkActivationOption(requested);
    checkFits(requested as ScoreActivation, numLabels, 'options.activation');
    return { activation: requested as ScoreActivation, source: 'option' };
  }
  const declared = declaredActivationPath(config);
  if (declared !== undefined && declared.startsWith('torch.')) {
    const activation = TORCH_ACTIVATIONS[declared];
    if (!activation) {
      throw new ModelFormatError(
        `The model's config.json declares the activation ${declared}, which crossrank does not implement. ` +
          `Pass options.activation (${SCORE_ACTIVATIONS.join(', ')}) to choose how logits become scores.`,
      );
    }
    checkFits(activation, numLabels, `config.json's activation ${declared}`);
    return { activation, source: 'config' };
  }
  return { activation: numLabels === 1 ? 'sigmoid' : 'softmax', source: 'default' };
}

/** Rejects an `activation` option that is not one of `SCORE_ACTIVATIONS` (before any model is loaded). */
export function checkActivationOption(value: unknown): asserts value is ScoreActivation | undefined {
  if (value !== undefined && !SCORE_ACTIVATIONS.includes(value as ScoreActivation)) {
    throw new InvalidInputError(`options.activation must be one of ${SCORE_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value) ?? String(value)}.`);
  }
}

function declaredActivationPath(config: Readonly<Record<string, unknown>>): string | undefined {
  const st = config['sentence_transformers'];
  if (st !== null && typeof st === 'object' && typeof (st as Record<string, unknown>)['activation_fn'] === 'string') {
    return (st as Record<string, string>)['activation_fn'];
  }
  const legacy = config['sbert_ce_default_activation_function'];
  return typeof legacy === 'string' ? legacy : undefined;
}

function checkFits(activation: ScoreActivation, numLabels: number, what: string): void {
  // A softmax over a single logit is 1 for every pair: it would rank nothing.
  if (activation === 'softmax' && numLabels === 1) {
    const error = `${what} is softmax, but this model has one logit, and a softmax over one logit is 1 for every pair. Use 'sigmoid' or 'identity'.`;
    throw what.startsWith('options.') ? new InvalidInputError(error) : new ModelFormatError(error);
  }
}

/**
 * Maps one raw output (`predict`'s value: the logit, or positive minus negative for two-logit heads)
 * to a score. For two logits, softmax's positive-class probability is sigmoid(positive - negative);
 * 'sigmoid' is applied to that same difference, and 'identity' returns the difference itself.
 */
export function activate(activation: ScoreActivation, raw: number): number {
  return activation === 'identity' ? raw : sigmoid(raw);
}

/** The scores `activate` can return: raw logits for identity, probabilities otherwise. */
export function scoreRange(activation: ScoreActivation): ScoreRange {
  return activation === 'identity' ? UNBOUNDED_SCORE_RANGE : UNIT_SCORE_RANGE;
}
