/**
 * RAG with LangChain.js: retrieve 20 passages from Chroma, rerank them locally with a cross-encoder,
 * keep the best 3, and have gpt-4o-mini answer from them.
 *
 *   pnpm langchain [--model <hub id or folder>] [--query "..."] [--chroma-url <url>] [--instruction "..."]
 *
 * `--model` also takes a causal-LM reranker (Qwen3-Reranker and its kind, e.g. a folder saved by
 * sentence-transformers); `--instruction` sets its task instruction (the chat's system message).
 *
 * Without OPENAI_API_KEY it prints the 3 passages and skips generation. Without --chroma-url (or
 * CHROMA_URL) it starts a throwaway local Chroma server and stops it when done. CROSSRANK_OFFLINE=1
 * never downloads the model.
 */
import { CrossrankError } from '@crossrank/core';
import { CrossEncoderReranker, RERANK_RUN_NAME } from '@crossrank/langchain';
import { createStuffDocumentsChain } from '@langchain/classic/chains/combine_documents';
import { createRetrievalChain } from '@langchain/classic/chains/retrieval';
import { ContextualCompressionRetriever } from '@langchain/classic/retrievers/contextual_compression';
import { Chroma } from '@langchain/community/vectorstores/chroma';
import type { CallbackHandlerMethods } from '@langchain/core/callbacks/base';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOpenAI } from '@langchain/openai';
import { ChromaClient } from 'chromadb';
import { parseArgs } from 'node:util';
import { isTruthy } from '../demo/args.js';
import { explainLoadFailure, isModelLoadError, type ExampleCommand } from '../demo/load-failure.js';
import { chooseModel, GENERATED_MODEL_NOTE, isGeneratedModelFolder } from '../demo/model.js';
import { HashingEmbeddings } from './hashing-embeddings.js';
import { startLocalChroma } from './local-chroma.js';
import { DEFAULT_QUERY, PASSAGES } from './passages.js';

// `pnpm <script> -- --model x` passes the `--` through; npm and a direct call do not.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    model: { type: 'string', default: 'Xenova/ms-marco-MiniLM-L-6-v2' },
    query: { type: 'string', default: DEFAULT_QUERY },
    'chroma-url': { type: 'string', default: process.env['CHROMA_URL'] },
    instruction: { type: 'string' },
  },
});
const EXAMPLE: ExampleCommand = { name: 'the example', command: 'pnpm langchain', offlineSwitch: 'CROSSRANK_OFFLINE' };
const offline = isTruthy(process.env['CROSSRANK_OFFLINE']);
// fp32, the adapter's default; relative folders are taken from where the command was typed.
const choice = chooseModel(values.model!, 'fp32');
const model = choice.model;
const query = values.query!;

const chroma = values['chroma-url'] ? { url: values['chroma-url'], stop: async () => undefined } : await startLocalChroma();
const instruction = values.instruction;
const reranker = new CrossEncoderReranker({ model, topN: 3, modelOptions: { localFilesOnly: offline, ...(instruction !== undefined ? { instruction } : {}) } });
try {
  console.log(`Query: ${query}\nModel: ${model}\nChroma: ${chroma.url}${instruction !== undefined ? `\nInstruction: ${instruction}` : ''}\n`);
  const { hostname, port, protocol } = new URL(chroma.url);
  const store = new Chroma(new HashingEmbeddings(), {
    index: new ChromaClient({ host: hostname, port: Number(port || (protocol === 'https:' ? 443 : 80)), ssl: protocol === 'https:' }),
    collectionName: 'crossrank-langchain-example',
  });
  // Fixed ids make loading idempotent against a server that keeps its data between runs.
  await store.addDocuments(
    PASSAGES.map(({ title, source, text }) => new Document({ pageContent: text, metadata: { title, source } })),
    { ids: PASSAGES.map((_, i) => `passage-${i}`) },
  );

  // The two lines this example is about: retrieve 20, rerank, keep the best 3.
  const retriever = new ContextualCompressionRetriever({ baseCompressor: reranker, baseRetriever: store.asRetriever({ k: 20 }) });

  const stats = rerankStats();
  let context: DocumentInterface[];
  let answer: string | undefined;
  if (process.env['OPENAI_API_KEY']) {
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer the question using only these passages. Say so if they do not contain the answer.\n\n{context}'],
      ['human', '{input}'],
    ]);
    const combineDocsChain = await createStuffDocumentsChain({ llm: new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0 }), prompt });
    const chain = await createRetrievalChain({ retriever, combineDocsChain });
    ({ context, answer } = await chain.invoke({ input: query }, { callbacks: [stats.handler] }));
  } else {
    context = await retriever.invoke(query, { callbacks: [stats.handler] });
  }
  await awaitAllCallbacks();

  console.log(`Top ${context.length} of ${stats.candidates ?? '?'} retrieved, reranked in ${stats.durationMs?.toFixed(0) ?? '?'} ms:`);
  context.forEach((doc, i) => {
    const score = (doc.metadata['relevanceScore'] as number).toFixed(4);
    console.log(`${i + 1}. [${score}] ${doc.metadata['title']} (${doc.metadata['source']}): ${doc.pageContent}`);
  });
  if (isGeneratedModelFolder(choice)) console.log(`\n${GENERATED_MODEL_NOTE}`);
  console.log(answer === undefined ? '\nGeneration skipped: OPENAI_API_KEY is not set.' : `\nAnswer (gpt-4o-mini):\n${answer}`);
} catch (error) {
  // The model loads on the first rerank; a load failure gets the demo's hint (what to do offline).
  if (isModelLoadError(error)) console.error(explainLoadFailure(error, choice, offline, EXAMPLE));
  // crossrank's other errors say what to do; print them plainly.
  else if (error instanceof CrossrankError) console.error(`${error.name}: ${error.message}`);
  else throw error;
  process.exitCode = 1;
} finally {
  await reranker.dispose();
  await chroma.stop();
}

/** Reads the rerank step's run from LangChain's callbacks: how many candidates it got and how long it took. */
function rerankStats() {
  const runs = new Set<string>();
  const stats: { candidates?: number; durationMs?: number; handler: CallbackHandlerMethods } = {
    handler: {
      handleChainStart: (_chain, _inputs, runId, _parent, _tags, _metadata, _runType, runName) => void (runName === RERANK_RUN_NAME && runs.add(runId)),
      handleChainEnd: (outputs, runId) => {
        if (!runs.has(runId)) return;
        stats.candidates = outputs['candidates'] as number;
        stats.durationMs = outputs['durationMs'] as number;
      },
    },
  };
  return stats;
}
