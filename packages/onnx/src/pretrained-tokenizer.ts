import { readFileSync } from 'node:fs';
import type { Tokenizer } from '@huggingface/tokenizers';
import { TokenizerNotFoundError } from './errors.js';
import { loadTokenizers } from './runtime-modules.js';

/**
 * What the engine needs of a tokenizer: `encode` one text to ids, and the limits and pad token its
 * config states. transformers.js's `PreTrainedTokenizer` has this shape too (its tokenizer tests
 * compare the two); `_tokenizer` is the `@huggingface/tokenizers` pipeline both wrap.
 */
export interface TokenizerLike {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  readonly model_max_length?: number;
  readonly pad_token_id?: number | null;
  readonly _tokenizer?: unknown;
}

/**
 * A tokenizer built from `tokenizer.json` and `tokenizer_config.json` with `@huggingface/tokenizers`,
 * as transformers.js's `PreTrainedTokenizer` builds it (`new Tokenizer(json, config)`), without the
 * rest of transformers.js. Its subclasses only change encoding for translation and speech models.
 */
export class PretrainedTokenizer implements TokenizerLike {
  readonly _tokenizer: Tokenizer;
  readonly model_max_length: number | undefined;
  /** transformers.js's rule: `pad_token`, else `eos_token`, looked up in the vocabulary. */
  readonly pad_token_id: number | undefined;

  constructor(tokenizer: Tokenizer, config: Record<string, unknown>) {
    this._tokenizer = tokenizer;
    const max = config['model_max_length'];
    this.model_max_length = typeof max === 'number' ? max : undefined;
    const pad = tokenFromConfig(config, 'pad_token') ?? tokenFromConfig(config, 'eos_token');
    this.pad_token_id = pad === undefined ? undefined : tokenizer.token_to_id(pad);
  }

  encode(text: string, options: { add_special_tokens: boolean }): number[] {
    return this._tokenizer.encode(text, { add_special_tokens: options.add_special_tokens }).ids;
  }
}

/** Reads the tokenizer files of a model folder (or hub snapshot); `configFile` may be absent. */
export async function loadPretrainedTokenizer(jsonFile: string, configFile: string | undefined): Promise<PretrainedTokenizer> {
  const json = readJson(jsonFile);
  const config = configFile === undefined ? {} : readJson(configFile);
  const { Tokenizer } = await loadTokenizers();
  try {
    return new PretrainedTokenizer(new Tokenizer(json, config), config);
  } catch (error) {
    throw new TokenizerNotFoundError(
      `Could not build the tokenizer from ${jsonFile}: ${error instanceof Error ? error.message : String(error)}. Restore the model's tokenizer.json (re-download or re-export it).`,
      { cause: error },
    );
  }
}

function readJson(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TokenizerNotFoundError(`Could not read the tokenizer file ${file}: ${error instanceof Error ? error.message : String(error)}. Restore it (re-download or re-export the model).`, {
      cause: error,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TokenizerNotFoundError(`${file} must hold a JSON object. Restore it (re-download or re-export the model).`);
  }
  return parsed as Record<string, unknown>;
}

/** A special token named in tokenizer_config.json: a string, or an `AddedToken` object. */
function tokenFromConfig(config: Record<string, unknown>, key: string): string | undefined {
  const item = config[key];
  if (typeof item === 'string' && item !== '') return item;
  if (item !== null && typeof item === 'object' && typeof (item as { content?: unknown }).content === 'string') return (item as { content: string }).content;
  return undefined;
}
