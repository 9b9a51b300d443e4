// The scenario body, shared by esm.mjs and cjs.cjs: they differ only in how the packages are loaded
// (import() resolves the packages' ESM entries, require() their CJS entries), which is what is tested.
// `local` is true in the app with @crossrank/onnx installed, false in the API-only app.
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startRerankServer } = require('./server.cjs');

const QUERY = 'how does docker networking work';
const DOCS = [
  'Kubernetes schedules pods onto nodes.',
  'Docker networking: bridge networks connect containers on one host.',
  'Python lists are ordered and mutable.',
  'Docker volumes keep data outside the container.',
  'Overlay networks make docker networking work across hosts.',
  'Rust has no garbage collector.',
];

const sortedDesc = (scores) => scores.every((s, i) => i === 0 || scores[i - 1] >= s);

const scripts = {
  // Every API backend path: request, response mapping, errors as crossrank classes, fallback.
  async api({ load, server }) {
    const core = await load('@crossrank/core');
    const api = await load('@crossrank/api');
    const jina = new api.JinaReranker({ apiKey: 'k', baseUrl: server.baseUrl, maxRetries: 0 });
    const ranked = await jina.rerank(QUERY, DOCS, { topN: 2 });
    assert.deepEqual(ranked.map((r) => r.index), [4, 1]);
    const cohere = new api.CohereReranker({ apiKey: 'k', baseUrl: server.baseUrl, maxRetries: 0 });
    assert.deepEqual((await cohere.rerank(QUERY, DOCS, { topN: 2 })).map((r) => r.index), [4, 1]);
    const denied = await new api.JinaReranker({ apiKey: 'bad', baseUrl: server.baseUrl, maxRetries: 0 }).rerank(QUERY, DOCS).catch((e) => e);
    assert.ok(denied instanceof api.ProviderHttpError, `expected ProviderHttpError, got ${denied}`);
    assert.ok(denied instanceof core.CrossrankError, 'an API error is a CrossrankError of the same @crossrank/core');
    assert.ok(core.isCrossrankError(denied, 'CROSSRANK_PROVIDER_HTTP'));
    assert.equal(denied.name, 'ProviderHttpError');
    const fallback = new core.FallbackReranker([new api.JinaReranker({ apiKey: 'bad', baseUrl: server.baseUrl, maxRetries: 0 }), jina]);
    const served = await fallback.rerankWithSource(QUERY, DOCS, { topN: 1 });
    assert.equal(served.servedBy, 1);
    assert.deepEqual(served.results.map((r) => r.index), [4]);
  },

  async langchain({ load, server, local, model }) {
    const core = await load('@crossrank/core');
    const { CrossEncoderReranker } = await load('@crossrank/langchain');
    const { Document } = await load('@langchain/core/documents');
    const docs = DOCS.map((text, i) => new Document({ pageContent: text, metadata: { i } }));
    if (!local) {
      const api = await load('@crossrank/api');
      const compressor = new CrossEncoderReranker({ reranker: new api.JinaReranker({ apiKey: 'k', baseUrl: server.baseUrl }), topN: 2 });
      const kept = await compressor.compressDocuments(docs, QUERY);
      assert.deepEqual(kept.map((d) => d.metadata.i), [4, 1]);
      assert.ok(kept.every((d) => typeof d.metadata.relevanceScore === 'number'));
      assert.equal(docs[4].metadata.relevanceScore, undefined, "the caller's documents are not mutated");
      // Without @crossrank/onnx, model: fails on first use with what to install.
      const missing = await new CrossEncoderReranker({ model: 'Xenova/ms-marco-MiniLM-L-6-v2' }).compressDocuments(docs, QUERY).catch((e) => e);
      assert.ok(missing instanceof core.MissingPackageError, `expected MissingPackageError, got ${missing && missing.stack}`);
      assert.match(missing.message, /npm install @crossrank\/onnx.*pass a reranker/);
      return;
    }
    const { CrossEncoder } = await load('@crossrank/onnx');
    const { ContextualCompressionRetriever } = await load('@langchain/classic/retrievers/contextual_compression');
    const { BaseRetriever } = await load('@langchain/core/retrievers');
    class ListRetriever extends BaseRetriever {
      lc_namespace = ['crossrank', 'packed'];
      async _getRelevantDocuments() {
        return docs;
      }
    }
    const compressor = new CrossEncoderReranker({ model, topN: 3 });
    const retriever = new ContextualCompressionRetriever({ baseCompressor: compressor, baseRetriever: new ListRetriever() });
    const kept = await retriever.invoke(QUERY);
    assert.equal(kept.length, 3);
    const scores = kept.map((d) => d.metadata.relevanceScore);
    assert.ok(sortedDesc(scores), `scores sorted best first: ${scores}`);
    // Same order as the engine itself gives (random weights: the order is arbitrary but fixed).
    const encoder = await CrossEncoder.load(model);
    const direct = await encoder.rerank(QUERY, DOCS, { topN: 3 });
    assert.deepEqual(kept.map((d) => d.metadata.i), direct.map((r) => r.index));
    await encoder.dispose();
    await compressor.dispose();
  },

  async llamaindex({ load, server, local, model }) {
    const core = await load('@crossrank/core');
    const { CrossEncoderRerank } = await load('@crossrank/llamaindex');
    const { TextNode } = await load('llamaindex');
    const nodes = () => DOCS.map((text, i) => ({ node: new TextNode({ text, id_: `n${i}` }), score: 1 - i / 10 }));
    let reranker;
    if (local) {
      const { CrossEncoder } = await load('@crossrank/onnx');
      reranker = await CrossEncoder.load(model);
    } else {
      const api = await load('@crossrank/api');
      reranker = new api.CohereReranker({ apiKey: 'k', baseUrl: server.baseUrl });
    }
    const expected = (await reranker.rerank(QUERY, DOCS, { topN: 2 })).map((r) => `n${r.index}`);
    const out = await new CrossEncoderRerank({ reranker, topN: 2 }).postprocessNodes(nodes(), QUERY);
    assert.deepEqual(out.map((n) => n.node.id_), expected);
    if (local) {
      const byModel = new CrossEncoderRerank({ model, topN: 2 });
      assert.deepEqual((await byModel.postprocessNodes(nodes(), QUERY)).map((n) => n.node.id_), expected);
      await byModel.dispose?.();
      await reranker.dispose();
    } else {
      assert.deepEqual(expected, ['n4', 'n1']);
      const missing = await new CrossEncoderRerank({ model: 'Xenova/ms-marco-MiniLM-L-6-v2' }).postprocessNodes(nodes(), QUERY).catch((e) => e);
      assert.ok(core.isCrossrankError(missing, 'CROSSRANK_MISSING_PACKAGE'), `expected MissingPackageError, got ${missing}`);
    }
  },

  // One class per concept across packages and entry points (issue item 5).
  async identity({ load, local }) {
    const core = await load('@crossrank/core');
    if (!local) return;
    const testing = await load('@crossrank/testing');
    const { CrossEncoder } = await load('@crossrank/onnx');
    const bad = await testing.createTestCrossEncoder({ dir: join(tmpdir(), 'x'), layers: 0 }).catch((e) => e);
    assert.ok(bad instanceof core.InvalidInputError, `testing's InvalidInputError is core's: ${bad}`);
    const missing = await CrossEncoder.load(join(tmpdir(), 'no-such-crossrank-model')).catch((e) => e);
    assert.ok(missing instanceof core.ModelNotFoundError, `onnx's ModelNotFoundError is core's: ${missing}`);
    // Through an adapter, which loads @crossrank/onnx itself: still this format's @crossrank/core.
    const { CrossEncoderReranker } = await load('@crossrank/langchain');
    const { Document } = await load('@langchain/core/documents');
    const viaAdapter = await new CrossEncoderReranker({ model: join(tmpdir(), 'no-such-crossrank-model') })
      .compressDocuments([new Document({ pageContent: 'a' })], 'q')
      .catch((e) => e);
    assert.ok(viaAdapter instanceof core.ModelNotFoundError, `the adapter's ModelNotFoundError is this format's core class: ${viaAdapter}`);
  },
};

async function run(load, { local, model }) {
  const only = process.argv[2];
  const server = await startRerankServer();
  let failed = 0;
  try {
    for (const [name, script] of Object.entries(scripts)) {
      if (only && only !== name) continue;
      try {
        await script({ load, server, local, model });
        console.log(`ok ${name}`);
      } catch (error) {
        failed++;
        console.log(`not ok ${name}: ${error && error.stack ? error.stack : error}`);
      }
    }
  } finally {
    await server.close();
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

module.exports = { run };
