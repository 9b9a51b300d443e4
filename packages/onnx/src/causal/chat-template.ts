import type { Template } from '@huggingface/jinja';
import { ModelFormatError } from '../errors.js';
import { loadJinja } from '../runtime-modules.js';

/** One chat message as sentence-transformers builds it for a pair: flat string content. */
export interface ChatMessage {
  role: 'system' | 'query' | 'document';
  content: string;
}

/**
 * A tokenizer's chat template, rendered as transformers' `apply_chat_template(messages,
 * tokenize=False)` renders it: Jinja2 with `trim_blocks` and `lstrip_blocks`, the template's final
 * newline dropped (`keep_trailing_newline=False`), `raise_exception` and `strftime_now` defined, the
 * tokenizer's special tokens as variables, and `add_generation_prompt` false (sentence-transformers
 * does not set it). `@huggingface/jinja` applies those three environment settings itself.
 */
export class ChatTemplate {
  readonly source: string;
  private readonly template: Template;
  private readonly variables: Readonly<Record<string, unknown>>;
  private readonly origin: string;

  /**
   * @param source the Jinja source.
   * @param specialTokens `bos_token`, `eos_token`, ... as strings, as transformers passes them.
   * @param origin where the template came from, for error messages.
   */
  static async create(source: string, specialTokens: Readonly<Record<string, string>>, origin: string): Promise<ChatTemplate> {
    const { Template } = await loadJinja();
    let template: Template;
    try {
      template = new Template(source);
    } catch (error) {
      throw new ModelFormatError(`The chat template in ${origin} does not parse: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
    }
    return new ChatTemplate(source, template, specialTokens, origin);
  }

  private constructor(source: string, template: Template, specialTokens: Readonly<Record<string, string>>, origin: string) {
    this.source = source;
    this.template = template;
    this.origin = origin;
    this.variables = { ...specialTokens, add_generation_prompt: false };
  }

  render(messages: readonly ChatMessage[]): string {
    try {
      // Fresh message objects per render: a template cannot change what the next render sees.
      return this.template.render({ ...this.variables, messages: messages.map((m) => ({ role: m.role, content: m.content })) });
    } catch (error) {
      throw new ModelFormatError(
        `The chat template in ${this.origin} failed to render a (query, document) pair: ${error instanceof Error ? error.message : String(error)}. ` +
          "A causal-LM reranker's template must accept the roles 'system', 'query' and 'document' (as sentence-transformers passes them); pass options.preset to use a known prompt instead.",
        { cause: error },
      );
    }
  }
}

/** sentence-transformers' messages for a pair: the prompt (instruction), when non-empty, as a leading system message. */
export function pairMessages(query: string, document: string, instruction: string | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instruction) messages.push({ role: 'system', content: instruction });
  messages.push({ role: 'query', content: query }, { role: 'document', content: document });
  return messages;
}
