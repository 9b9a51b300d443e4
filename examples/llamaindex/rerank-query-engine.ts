/**
 * Retrieve 20 candidates, rerank them locally with a cross-encoder, keep 3, answer with OpenAI.
 *
 *   pnpm --filter @crossrank/examples llamaindex [-- --model <hub id or folder>] [--question "..."]
 *
 * Without OPENAI_API_KEY it prints the 3 source nodes and skips generation.
 */
import { CrossrankError } from '@crossrank/core';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { Document, getResponseSynthesizer, MetadataMode, Settings, VectorStoreIndex, type LLM, type NodeWithScore } from 'llamaindex';
import { parseArgs } from 'node:util';
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

// The embedding is passed in a scope rather than set globally: the index keeps it for queries.
const index = await Settings.withEmbedModel(new LexicalEmbedding(), () =>
  VectorStoreIndex.fromDocuments(CORPUS.map(({ title, text }) => new Document({ text, metadata: { title } }))),
);

const rerank = new CrossEncoderRerank({ model: values.model!, topN: 3 });
const llm = await openAIOrNothing();
const engine = index.asQueryEngine({
  similarityTopK: 20,
  nodePostprocessors: [rerank],
  responseSynthesizer: getResponseSynthesizer('compact', { llm: llm ?? new NoGenerationLLM() }),
});

console.log(`Question: ${question}\nModel: ${values.model}\n`);
try {
  if (llm) {
    const response = await engine.query({ query: question });
    console.log(`Answer: ${response.message.content}\n`);
    printSources(response.sourceNodes ?? []);
  } else {
    // retrieve() runs the retriever and the reranker: exactly the nodes query() would answer from.
    printSources(await engine.retrieve(question));
    console.log('\nGeneration skipped: OPENAI_API_KEY is not set.');
  }
} catch (error) {
  // crossrank's errors say what to do (e.g. a wrong --model path); no stack trace needed.
  if (!(error instanceof CrossrankError)) throw error;
  console.error(`${error.name}: ${error.message}`);
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
