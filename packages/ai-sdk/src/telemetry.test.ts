// The AI SDK's OpenTelemetry integration records rerank() over a crossrank model, into an in-memory exporter.
import { OpenTelemetry } from '@ai-sdk/otel';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { rerank } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossrank, type CrossrankRerankingModel } from './index.js';
import { PASSAGES, QUERY, testModelDir } from './test-support/test-model.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('crossrank-test');
let model: CrossrankRerankingModel;

beforeAll(async () => {
  model = crossrank.rerankingModel(await testModelDir(), { dtype: 'q8' });
});
afterAll(async () => {
  await model.dispose();
});

describe('experimental_telemetry', () => {
  it('when enabled, records the rerank operation and the model call as spans naming crossrank', async () => {
    exporter.reset();
    const result = await rerank({
      model,
      documents: PASSAGES,
      query: QUERY,
      topN: 2,
      experimental_telemetry: { isEnabled: true, functionId: 'rag-rerank', integrations: [new OpenTelemetry({ tracer, reranking: true })] },
    });
    const spans = exporter.getFinishedSpans();
    // The operation (rerank()) and, under it, the model call (doRerank).
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.name).toBe(`rerank ${model.modelId}`);
      expect(span.attributes).toMatchObject({ 'gen_ai.operation.name': 'rerank', 'gen_ai.provider.name': 'crossrank.onnx', 'gen_ai.request.model': model.modelId });
    }
    const [call, operation] = spans;
    expect(call!.parentSpanContext?.spanId).toBe(operation!.spanContext().spanId);
    expect(call!.attributes['ai.ranking']).toEqual(
      result.ranking.map((r) => JSON.stringify({ index: r.originalIndex, relevanceScore: r.score })),
    );
  });

  it('when disabled, records nothing', async () => {
    exporter.reset();
    await rerank({
      model,
      documents: PASSAGES,
      query: QUERY,
      topN: 2,
      experimental_telemetry: { isEnabled: false, integrations: [new OpenTelemetry({ tracer })] },
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('a failed call ends its spans with an error status', async () => {
    exporter.reset();
    const call = rerank({
      model,
      documents: [{ title: 'a' }],
      query: QUERY,
      providerOptions: { crossrank: { fields: ['body'] } },
      experimental_telemetry: { isEnabled: true, integrations: [new OpenTelemetry({ tracer })] },
    });
    await expect(call).rejects.toThrow(/none of the fields/);
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThanOrEqual(1);
    expect(spans.some((s) => s.status.code === 2)).toBe(true); // SpanStatusCode.ERROR
  });
});
