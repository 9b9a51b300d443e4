import { BaseLLM, type ChatMessage, type ChatResponse, type ChatResponseChunk, type LLMChatParamsNonStreaming, type LLMChatParamsStreaming, type LLMMetadata } from 'llamaindex';
import { extractText } from 'llamaindex';

/**
 * An offline `LLM` that records every prompt it is sent and answers with a fixed sentence, so a
 * test can check which context reached the model. Passed explicitly to engines: LlamaIndex has no
 * default LLM, so nothing here can fall back to a hosted one.
 */
export class RecordingLLM extends BaseLLM {
  static readonly ANSWER = 'Offline answer.';
  readonly prompts: ChatMessage[][] = [];

  metadata: LLMMetadata = {
    model: 'recording-llm',
    temperature: 0,
    topP: 1,
    contextWindow: 8192,
    tokenizer: undefined,
    structuredOutput: false,
  };

  /** Everything the last call was sent, as one string. */
  lastPromptText(): string {
    const last = this.prompts.at(-1) ?? [];
    return last.map((m) => extractText(m.content)).join('\n');
  }

  chat(params: LLMChatParamsStreaming): Promise<AsyncIterable<ChatResponseChunk>>;
  chat(params: LLMChatParamsNonStreaming): Promise<ChatResponse>;
  async chat(params: LLMChatParamsStreaming | LLMChatParamsNonStreaming): Promise<AsyncIterable<ChatResponseChunk> | ChatResponse> {
    this.prompts.push(params.messages.map((m) => ({ ...m })));
    if (params.stream) {
      return (async function* () {
        yield { delta: RecordingLLM.ANSWER, raw: null };
      })();
    }
    return { message: { role: 'assistant', content: RecordingLLM.ANSWER }, raw: null };
  }
}
