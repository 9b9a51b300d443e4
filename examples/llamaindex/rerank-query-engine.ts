/**
 * Retrieve 20 candidates, rerank them locally with a cross-encoder, keep 3, answer with OpenAI.
 *
 *   pnpm llamaindex [--model <hub id or folder>] [--question "..."]
 *
 * Without OPENAI_API_KEY it prints the 3 source nodes and skips generation. CROSSRANK_OFFLINE=1 never
 * downloads the model.
 */
import { CrossrankError } from '@crossrank/core';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { Document, getResponseSynthesizer, MetadataMode, Settings, VectorStoreIndex, type LLM, type NodeWithScore } from 'llamaindex';
import { parseArgs } from 'node:util';
import { isTruthy } from '../demo/args.js';
import { explainLoadFailure, isModelLoadError, type ExampleCommand } from '../demo/load-failure.js';
import { chooseModel, GENERATED_MODEL_NOTE, isGeneratedModelFolder } from '../demo/model.js';
import { CORPUS, DEFAULT_QUESTION } from './corpus.js';
import { LexicalEmbedding } from './lexical-embedding.js';
import { NoGenerationLLM } from './no-generation-llm.js';

// `pnpm <script> -- --model x` passes the `--` through; npm and a direct call do not.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    model: { type: 'string', default: 'Xenova/ms-marco-MiniLM-L-6-v2' },
    question: { type: 'string', default: DEFAULT_QUESTION },
  },
});
const question = values.question!;
const EXAMPLE: ExampleCommand = { name: 'the example', command: 'pnpm llamaindex', offlineSwitch: 'CROSSRANK_OFFLINE' };
const offline = isTruthy(process.env['CROSSRANK_OFFLINE']);
// fp32, the adapter's default; relative folders are taken from where the command was typed.
const choice = chooseModel(values.model!, 'fp32');

// The embedding is passed in a scope rather than set globally: the index keeps it for queries.
const index = await Settings.withEmbedModel(new LexicalEmbedding(), () =>
  VectorStoreIndex.fromDocuments(CORPUS.map(({ title, text }) => new Document({ text, metadata: { title } }))),
);

const rerank = new CrossEncoderRerank({ model: choice.model, topN: 3, modelOptions: { localFilesOnly: offline } });
const llm = await openAIOrNothing();
const engine = index.asQueryEngine({
  similarityTopK: 20,
  nodePostprocessors: [rerank],
  responseSynthesizer: getResponseSynthesizer('compact', { llm: llm ?? new NoGenerationLLM() }),
});

console.log(`Question: ${question}\nModel: ${choice.model}\n`);
try {
  if (llm) {
    const response = await engine.query({ query: question });
    console.log(`Answer: ${response.message.content}\n`);
    printSources(response.sourceNodes ?? []);
  } else {
    // retrieve() runs the retriever and the reranker: exactly the nodes query() would answer from.
    printSources(await engine.retrieve(question));
  }
  if (isGeneratedModelFolder(choice)) console.log(`\n${GENERATED_MODEL_NOTE}`);
  if (!llm) console.log('\nGeneration skipped: OPENAI_API_KEY is not set.');
} catch (error) {
  // The model loads on the first query; a load failure gets the demo's hint (what to do offline).
  if (isModelLoadError(error)) console.error(explainLoadFailure(error, choice, offline, EXAMPLE));
  // crossrank's other errors say what to do (e.g. a wrong --model path); no stack trace needed.
  else if (error instanceof CrossrankError) console.error(`${error.name}: ${error.message}`);
  else throw error;
  process.exitCode = 1;
} finally {
  await rerank.dispose();
}

async function openAIOrNothing(): Promise<LLM | undefined> {
  if (!process.env.OPENAI_API_KEY) return undefined;
  // Imported only when used, so the example runs without OpenAI's SDK being loaded.
  const { OpenAI } = await import('@llamaindex/openai');
  return new OpenAI({ model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' });
}

function printSources(nodes: NodeWithScore[]): void {
  console.log(`Top ${nodes.length} of 20 retrieved, reranked:`);
  nodes.forEach(({ node, score }, i) => {
    console.log(`${i + 1}. [${score?.toFixed(4)}] ${String(node.metadata['title'])}: ${node.getContent(MetadataMode.NONE)}`);
  });
}
