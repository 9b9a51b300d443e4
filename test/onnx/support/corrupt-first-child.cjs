// The first load in this process is of a corrupt model.onnx; later loads of a good model, in the
// calling thread and in workers, must not be affected by it (transformers.js 3.8 cached the
// rejected session promise and every later load failed).
const { CrossEncoder } = require('@crossrank/onnx');

async function main() {
  const [bad, good, workers] = process.argv.slice(2);
  const first = await CrossEncoder.load(bad, { workers: Number(workers) }).then(() => 'loaded', (e) => e.name);
  const out = { first };
  for (const w of [0, 2]) {
    const encoder = await CrossEncoder.load(good, { workers: w });
    out[`workers${w}`] = Array.from(await encoder.predict([['q', 'a document'], ['q', 'another']]));
    await encoder.dispose();
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exitCode = 1;
});
