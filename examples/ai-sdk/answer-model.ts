// Which language model answers: gpt-4o-mini when OPENAI_API_KEY is set, else the AI SDK's own mock
// model (from `ai/test`), which writes no answer, only what it was given, so the run needs no key.
import { openai } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';

export interface AnswerModel {
  model: LanguageModel;
  /** Printed before the answer, so nobody mistakes the mock's text for an LLM's. */
  label: string;
}

export function answerModel(env: NodeJS.ProcessEnv = process.env): AnswerModel {
  if (env['OPENAI_API_KEY']?.trim()) return { model: openai('gpt-4o-mini'), label: 'Answer (gpt-4o-mini):' };
  const mock = new MockLanguageModelV4({
    modelId: 'mock',
    doGenerate: async ({ prompt }) => {
      const system = prompt.find((m) => m.role === 'system');
      const passages = typeof system?.content === 'string' ? (system.content.match(/^\[\d+\]/gm) ?? []).length : 0;
      return {
        content: [{ type: 'text', text: `(mock model: no answer written; it received the question and ${passages} passages)` }],
        finishReason: { unified: 'stop', raw: undefined },
        usage: {
          inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: undefined, text: undefined, reasoning: undefined },
        },
        warnings: [],
      };
    },
  });
  return { model: mock, label: "OPENAI_API_KEY is not set: generateText ran on the AI SDK's mock language model (ai/test), not an LLM:" };
}
