// Loads and disposes a model `cycles` times and prints resident memory after `early` and after all
// cycles (after a GC). Run with --expose-gc.
const { CrossEncoder } = require('@crossrank/onnx');

async function main() {
  const [dir, workers, early, cycles] = process.argv.slice(2);
  const rss = {};
  for (let i = 1; i <= Number(cycles); i++) {
    const encoder = await CrossEncoder.load(dir, { workers: Number(workers) });
    await encoder.dispose();
    if (i === Number(early) || i === Number(cycles)) {
      global.gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      global.gc();
      rss[i] = process.memoryUsage().rss;
    }
  }
  process.stdout.write(JSON.stringify(rss));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exitCode = 1;
});
