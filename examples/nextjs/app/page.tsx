export default function Page() {
  return (
    <main>
      <p>
        Rerank endpoints: <a href="/api/rerank">/api/rerank</a> (@crossrank/onnx) and <a href="/api/ai-sdk">/api/ai-sdk</a> (AI SDK rerank()).
      </p>
    </main>
  );
}
