import { CrossrankError, ModelFormatError, ModelNotFoundError, TokenizerNotFoundError } from '@crossrank/core';
import type { ModelChoice } from './model.js';

export const TEST_MODEL_COMMAND = 'pnpm --filter @crossrank/examples demo:test-model';

/** How the hint names the program that failed: the demo, or one of the framework examples. */
export interface ExampleCommand {
  /** e.g. `the demo`. */
  name: string;
  /** What the user typed, e.g. `pnpm demo`; `--model <folder>` is appended in the hint. */
  command: string;
  /** How offline mode was switched on, e.g. `--offline / CROSSRANK_OFFLINE`. */
  offlineSwitch: string;
}

export const DEMO_COMMAND: ExampleCommand = { name: 'the demo', command: 'pnpm demo', offlineSwitch: '--offline / CROSSRANK_OFFLINE' };

/**
 * Says what went wrong loading the model and what to do about it, in a few lines and without a
 * stack trace: the common case is a first run without network, which only needs a next step.
 */
export function explainLoadFailure(error: unknown, choice: ModelChoice, offline: boolean, example: ExampleCommand = DEMO_COMMAND): string {
  const what = choice.source === 'folder' ? `the model folder ${choice.model}` : `the cross-encoder "${choice.model}" (${choice.dtype})`;
  const detail = oneLine(error instanceof Error ? error.message : String(error));
  const lines: string[] = [];

  if (error instanceof ModelNotFoundError && choice.source === 'hub') {
    lines.push(
      `Could not load ${what}: it is not in the model cache${offline ? `, and offline mode (${example.offlineSwitch}) forbids downloading it.` : ' and could not be downloaded (no network, or a wrong model id).'}`,
      'What to do:',
      `  - Run ${example.name} once with network access${offline ? ` and without ${example.offlineSwitch}` : ''}: the model is downloaded and cached, and later runs work offline.`,
      `  - Or pass a model folder you already have: ${example.command} --model <folder>  (config.json, tokenizer.json, onnx/model_quantized.onnx or onnx/model.onnx).`,
      `  - Or run the pipeline on a generated test model (random weights, scores mean nothing): ${TEST_MODEL_COMMAND}, then ${example.command} --model <the folder it prints>.`,
    );
  } else if (error instanceof CrossrankError) {
    lines.push(
      `Could not load ${what}.`,
      'What to do: pass a folder holding config.json, tokenizer.json and onnx/model_quantized.onnx or onnx/model.onnx, ' +
        `or a hub id such as Xenova/ms-marco-MiniLM-L-6-v2; ${TEST_MODEL_COMMAND} generates a test folder.`,
    );
  } else {
    lines.push(`Could not load ${what} (unexpected error). Set CROSSRANK_DEBUG=1 to see the stack trace.`);
  }
  lines.push(`Details: ${detail}`);
  return lines.join('\n');
}

/** The errors a model load ends in: what the examples explain with `explainLoadFailure`. */
export function isModelLoadError(error: unknown): boolean {
  return error instanceof ModelNotFoundError || error instanceof TokenizerNotFoundError || error instanceof ModelFormatError;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
