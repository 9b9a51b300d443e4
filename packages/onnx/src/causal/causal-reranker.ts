import path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import { InvalidInputError, ModelFormatError, TokenizerNotFoundError } from '../errors.js';
import type { ModelLocation } from '../model-loader.js';
import { describe } from '../ranking.js';
import { CausalPairEncoder } from './causal-pair-encoder.js';
import type { LogitScoring } from './causal-session.js';
import { ChatTemplate, pairMessages } from './chat-template.js';
import { loadTokenizers } from '../runtime-modules.js';
import { ModelFiles } from './model-files.js';
import { CAUSAL_PRESETS, presetFor, type CausalPresetName } from './presets.js';

/**
 * Without a declared `max_seq_length`, a causal reranker reads at most this many tokens per pair
 * (less if the model's limit is lower). Their limits run to 32k-128k tokens, and a pair's
 * full-vocabulary logits cost length x vocabulary x 4 bytes (8,192 tokens of Qwen3's 151,669-token
 * vocabulary: 5 GB), so the model's own limit is no default; pass `maxLength` to read further.
 */
export const DEFAULT_CAUSAL_MAX_LENGTH = 1024;

/**
 * Bytes of full-vocabulary logits one forward pass may produce by default: batches are cut to
 * `LOGITS_BUDGET_BYTES / (vocabulary x 4)` padded tokens (a longer pair runs alone).
 */
export const LOGITS_BUDGET_BYTES = 256 * 1024 * 1024;

export interface CausalLoadOptions {
  maxLength?: number;
  /** Default instruction (sentence-transformers' `prompt`). */
  instruction?: string;
  /** A key of the model's `prompts` (sentence-transformers' `prompt_name`). */
  promptName?: string;
  /** A known prompt for a model published without sentence-transformers files. */
  preset?: CausalPresetName;
}

/** What the calling thread needs to encode pairs for a causal-LM reranker and read its scores. */
export interface CausalReranker {
  files: ModelFiles;
  config: Record<string, unknown>;
  encoder: CausalPairEncoder;
  scoring: LogitScoring;
  padId: number;
  /** Named instructions (`config_sentence_transformers.json` `prompts`). */
  prompts: Readonly<Record<string, string>>;
  /** The instruction used when a call names none. */
  defaultInstruction: string | undefined;
  /** sentence-transformers' activation path (`torch.nn...Sigmoid`), if the model declares one. */
  activationFn: string | undefined;
  /** Where the chat template came from: a file of the model or `preset:<name>`. */
  templateSource: string;
  vocabSize: number | undefined;
}

export const CAUSAL_PRESET_NAMES = Object.keys(CAUSAL_PRESETS) as CausalPresetName[];

/** Rejects bad causal options before anything is loaded. */
export function checkCausalOptions(options: Record<string, unknown>): void {
  for (const key of ['instruction', 'promptName'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') {
      throw new InvalidInputError(`options.${key} must be a string, got ${describe(options[key])}.`);
    }
  }
  const preset = options['preset'];
  if (preset !== undefined && !CAUSAL_PRESET_NAMES.includes(preset as CausalPresetName)) {
    throw new InvalidInputError(`options.preset must be one of ${CAUSAL_PRESET_NAMES.map((p) => `'${p}'`).join(', ')}, got ${describe(preset)}.`);
  }
}

/**
 * Recognises a causal-LM reranker as sentence-transformers does and loads what the calling thread
 * needs; undefined for any other model (a sequence classifier goes the usual way). A causal
 * reranker is a folder whose `modules.json` ends in `LogitScore`, or a `*ForCausalLM` config (read
 * with "yes"/"no" as sentence-transformers does, or a preset's tokens). `location` is where
 * `locateModel` found (or fetched) the model's files; nothing is downloaded here.
 */
export async function detectCausalReranker(location: ModelLocation, options: CausalLoadOptions): Promise<CausalReranker | undefined> {
  const { source } = location;
  const files = new ModelFiles(location);
  const config = files.json('config.json');
  if (!config) return undefined;
  const architectures = Array.isArray(config['architectures']) ? (config['architectures'] as unknown[]) : [];
  const causalLm = typeof architectures[0] === 'string' && architectures[0].endsWith('ForCausalLM');
  const modules = files.json('modules.json');
  const logitScore = Array.isArray(modules)
    ? (modules as Array<Record<string, unknown>>).find((m) => typeof m?.['type'] === 'string' && (m['type'] as string).endsWith('LogitScore'))
    : undefined;
  if (!logitScore && !causalLm) {
    if (options.preset !== undefined) {
      throw new InvalidInputError(`options.preset is for causal-LM rerankers, but ${files.describe('config.json')} declares ${describe(architectures[0])}, not a *ForCausalLM model.`);
    }
    return undefined;
  }

  const tokenizerJson = files.json('tokenizer.json');
  if (!tokenizerJson) throw new TokenizerNotFoundError(`${files.describe('tokenizer.json')} was not found; a causal-LM reranker needs its tokenizer.json.`);
  const tokenizerConfig = files.json('tokenizer_config.json') ?? {};
  const { Tokenizer } = await loadTokenizers();
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new TokenizerNotFoundError(`Could not read ${files.describe('tokenizer.json')}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  const stConfig = files.json('config_sentence_transformers.json') ?? {};
  const name = source.kind === 'hub' ? source.id : path.basename(source.folder);
  const presetName = options.preset ?? (logitScore ? undefined : presetFor(name));
  const preset = presetName ? CAUSAL_PRESETS[presetName] : undefined;

  // The template: a preset, else the model's chat_template.jinja (transformers >= 4.43 saves it
  // there), else tokenizer_config.json's chat_template (a string, or named templates: "default").
  let templateSource: string;
  let templateText: string | undefined;
  if (preset) {
    templateSource = `preset:${presetName}`;
    templateText = preset.template;
  } else {
    templateText = files.text('chat_template.jinja');
    templateSource = files.describe('chat_template.jinja');
    if (templateText === undefined) {
      templateText = namedTemplate(tokenizerConfig['chat_template']);
      templateSource = files.describe('tokenizer_config.json');
    }
  }
  if (templateText === undefined) {
    throw new ModelFormatError(
      `${name} is a causal LM but has no chat template (chat_template.jinja or tokenizer_config.json's chat_template) to turn a (query, document) pair into its prompt. ` +
        `Pass options.preset (${CAUSAL_PRESET_NAMES.join(', ')}) if it is one of those rerankers.`,
    );
  }
  const template = await ChatTemplate.create(templateText, specialTokens(tokenizerConfig), templateSource);
  checkPairRoles(template, templateSource);

  const scoring = logitScoring(files, logitScore, tokenizer, preset);
  const prompts = readPrompts(stConfig);
  const defaultPromptName = typeof stConfig['default_prompt_name'] === 'string' ? stConfig['default_prompt_name'] : undefined;
  const defaultInstruction = resolveInstruction(prompts, options.instruction, options.promptName, defaultPromptName ? prompts[defaultPromptName] : undefined, 'options');
  const maxLength = resolveCausalMaxLength(files, options.maxLength, tokenizerConfig, config);
  const padId = tokenId(tokenizer, tokenizerConfig['pad_token']) ?? intOr(config['pad_token_id']) ?? tokenId(tokenizer, tokenizerConfig['eos_token']) ?? intOr(config['eos_token_id']) ?? 0;
  return {
    files,
    config,
    encoder: new CausalPairEncoder(tokenizer, template, maxLength),
    scoring,
    padId,
    prompts,
    defaultInstruction,
    activationFn: typeof stConfig['activation_fn'] === 'string' ? stConfig['activation_fn'] : undefined,
    templateSource,
    vocabSize: intOr(config['vocab_size']) ?? intOr((config['text_config'] as Record<string, unknown> | undefined)?.['vocab_size']),
  };
}

/**
 * The instruction for a call, by sentence-transformers' rule: an explicit `instruction` wins, else
 * the named prompt, else the fallback (the load default). An empty instruction renders no system message.
 */
export function resolveInstruction(
  prompts: Readonly<Record<string, string>>,
  instruction: string | undefined,
  promptName: string | undefined,
  fallback: string | undefined,
  where: string,
): string | undefined {
  if (instruction !== undefined) return instruction;
  if (promptName !== undefined) {
    if (!Object.hasOwn(prompts, promptName)) {
      const known = Object.keys(prompts);
      throw new InvalidInputError(
        `${where}.promptName ${JSON.stringify(promptName)} is not one of this model's prompts (${known.length > 0 ? known.map((k) => `'${k}'`).join(', ') : 'it has none'}); pass options.instruction instead.`,
      );
    }
    return prompts[promptName];
  }
  return fallback;
}

/** The longest padded tokens per batch that keep its logits within `LOGITS_BUDGET_BYTES`. */
export function causalBatchTokens(vocabSize: number | undefined): number {
  return Math.max(1, Math.floor(LOGITS_BUDGET_BYTES / (4 * (vocabSize ?? 152_064))));
}

function logitScoring(files: ModelFiles, module: Record<string, unknown> | undefined, tokenizer: Tokenizer, preset: (typeof CAUSAL_PRESETS)[CausalPresetName] | undefined): LogitScoring {
  if (module) {
    const folder = typeof module['path'] === 'string' ? module['path'] : '';
    const file = folder ? `${folder}/config.json` : 'config.json';
    const settings = files.json(file);
    if (settings === undefined) {
      throw new ModelFormatError(
        `${files.describe(file)} was not found: modules.json names a LogitScore module in ${JSON.stringify(folder)}, whose config gives its true/false token ids. ` +
          (files.location.source.kind === 'hub' ? 'From the hub, crossrank fetches it from 1_LogitScore/ only, where sentence-transformers saves it. ' : '') +
          'Restore the file (save the model again with sentence-transformers) or pass options.preset.',
      );
    }
    const trueTokenId = settings?.['true_token_id'];
    const falseTokenId = settings?.['false_token_id'] ?? null;
    if (!Number.isInteger(trueTokenId) || (falseTokenId !== null && !Number.isInteger(falseTokenId))) {
      throw new ModelFormatError(`${files.describe(file)} must give LogitScore's integer true_token_id (and false_token_id or null), got ${describe(settings)}.`);
    }
    return { trueTokenId: trueTokenId as number, falseTokenId: falseTokenId as number | null };
  }
  const trueToken = preset?.trueToken ?? 'yes';
  const falseToken = preset ? preset.falseToken : 'no';
  const trueTokenId = tokenizer.token_to_id(trueToken);
  const falseTokenId = falseToken === null ? null : tokenizer.token_to_id(falseToken);
  if (trueTokenId === undefined || falseTokenId === undefined) {
    throw new ModelFormatError(
      `This causal LM's tokenizer has no "${trueToken}"${falseToken === null ? '' : ` or "${falseToken}"`} token to read a relevance score from. ` +
        'Save it with sentence-transformers (a LogitScore module names the tokens) or pass options.preset.',
    );
  }
  return { trueTokenId, falseTokenId };
}

function resolveCausalMaxLength(files: ModelFiles, requested: number | undefined, tokenizerConfig: Record<string, unknown>, config: Record<string, unknown>): number {
  const tokenizerMax = intOr(tokenizerConfig['model_max_length']);
  const positions = intOr(config['max_position_embeddings']);
  const limit = Math.min(tokenizerMax !== undefined && tokenizerMax < 1e9 ? tokenizerMax : Infinity, positions ?? Infinity);
  if (requested !== undefined) {
    if (requested > limit) throw new InvalidInputError(`options.maxLength ${requested} exceeds this model's limit of ${limit} tokens.`);
    return requested;
  }
  const declared = intOr(files.json('sentence_bert_config.json')?.['max_seq_length']);
  if (declared !== undefined) return Math.min(declared, limit);
  return Math.min(limit, DEFAULT_CAUSAL_MAX_LENGTH);
}

/**
 * sentence-transformers passes (system,) query and document roles; a template that never renders
 * their content would score every pair alike, so it is refused up front.
 */
function checkPairRoles(template: ChatTemplate, origin: string): void {
  const text = template.render(pairMessages('crossrank-query-probe', 'crossrank-document-probe', undefined));
  if (!text.includes('crossrank-query-probe') || !text.includes('crossrank-document-probe')) {
    throw new ModelFormatError(
      `The chat template in ${origin} does not render the 'query' and 'document' messages of a pair, so it is not a reranker's template. ` +
        `Pass options.preset (${CAUSAL_PRESET_NAMES.join(', ')}) if the model is one of those rerankers.`,
    );
  }
}

function namedTemplate(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const named = value.find((t) => (t as { name?: unknown })?.name === 'default') as { template?: unknown } | undefined;
    return typeof named?.template === 'string' ? named.template : undefined;
  }
  return undefined;
}

/** The special-token variables transformers gives a chat template (`bos_token`, `eos_token`, ...). */
function specialTokens(tokenizerConfig: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token']) {
    const text = tokenText(tokenizerConfig[key]);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function readPrompts(stConfig: Record<string, unknown>): Record<string, string> {
  const prompts = stConfig['prompts'];
  const out: Record<string, string> = {};
  if (prompts !== null && typeof prompts === 'object' && !Array.isArray(prompts)) {
    for (const [key, value] of Object.entries(prompts)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const content = (value as { content?: unknown } | null | undefined)?.content;
  return typeof content === 'string' ? content : undefined;
}

function tokenId(tokenizer: Tokenizer, value: unknown): number | undefined {
  const text = tokenText(value);
  return text === undefined ? undefined : tokenizer.token_to_id(text);
}

function intOr(value: unknown): number | undefined {
  return Number.isInteger(value) ? (value as number) : undefined;
}
