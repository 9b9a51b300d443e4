// The AI SDK provider from its tarball, as an ESM app uses it: rerank() from `ai` on a generated model,
// with activation: 'sigmoid' (scores in [0, 1]). Prints one `ok ...` line, or throws.
import { createTestCrossEncoder } from '@crossrank/testing';
import { crossrank } from '@crossrank/ai-sdk';
import { rerank } from 'ai';

const { dir } = await createTestCrossEncoder({ dir: process.env.CROSSRANK_MODEL });
const model = crossrank.rerankingModel(dir, { activation: 'sigmoid' });
const documents = ['bridge networks connect docker containers', 'python lists', 'docker overlay networking'];
const { ranking, rerankedDocuments } = await rerank({ model, query: 'docker networking', documents, topN: 2 });
await model.dispose();
if (ranking.length !== 2 || rerankedDocuments.length !== 2 || !ranking.every((r) => r.score >= 0 && r.score <= 1 && documents[r.originalIndex] === r.document)) {
  throw new Error(`unexpected ranking ${JSON.stringify(ranking)}`);
}
console.log(`ok ai-sdk ESM rerank() ${process.version}`);
