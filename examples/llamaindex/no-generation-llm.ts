import { BaseLLM, type LLMMetadata } from 'llamaindex';

/**
 * LlamaIndex.TS 0.12 has no default LLM, and a query engine needs one to be built. Without an API
 * key the example builds the same engine with this stand-in and only calls `engine.retrieve()`,
 * which runs the retriever and the reranker but never the LLM.
 */
export class NoGenerationLLM extends BaseLLM {
  metadata: LLMMetadata = { model: 'none', temperature: 0, topP: 1, contextWindow: 4096, tokenizer: undefined, structuredOutput: false };

  // Overloads are not needed: this LLM never answers, streaming or not.
  chat(): Promise<never> {
    return Promise.reject(new Error('Generation is skipped: set OPENAI_API_KEY to answer with OpenAI.'));
  }
}
