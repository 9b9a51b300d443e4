// Loads a CrossEncoder with worker threads, reranks, optionally disposes, and then just returns:
// the test expects this process to end on its own (no process.exit), promptly.
const { CrossEncoder } = require('@crossrank/onnx');

async function main() {
  const [dir, mode] = process.argv.slice(2);
  const encoder = await CrossEncoder.load(dir, { workers: 2 });
  const results = await encoder.rerank('containers', ['a', 'b', 'c', 'd', 'e']);
  if (mode === 'dispose') await encoder.dispose();
  process.stdout.write(JSON.stringify({ workers: encoder.info.workers, results: results.length }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exitCode = 1;
});
