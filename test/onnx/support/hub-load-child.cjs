// Loads a hub id in its own process (HF_ENDPOINT and HF_HUB_CACHE come from the parent) and prints
// its scores for two pairs as JSON.
const { CrossEncoder } = require('@crossrank/onnx');

async function main() {
  const encoder = await CrossEncoder.load(process.argv[2], { workers: 0, threads: 1 });
  const scores = await encoder.predict([['what is a bridge network', 'Docker attaches containers to the docker0 bridge.'], ['q', 'another document']]);
  process.stdout.write(JSON.stringify(Array.from(scores)));
  await encoder.dispose();
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exitCode = 1;
});
