// Starts a long rerank on worker threads, then ends the process while workers are inside ONNX
// Runtime: `exit` calls process.exit(3), `throw` throws an uncaught error. Prints how long the exit
// was held (the last 'exit' listener runs after crossrank's).
const { CrossEncoder } = require('@crossrank/onnx');

async function main() {
  const [dir, dtype, cause] = process.argv.slice(2);
  const encoder = await CrossEncoder.load(dir, { dtype, workers: 2 });
  const docs = Array.from({ length: 2000 }, (_, i) => `document ${i} about container networks ${'bridge overlay '.repeat(i % 40)}end`);
  void encoder.rerank('how do containers talk to each other', docs).then(() => process.stdout.write('finished before the exit\n'));
  setTimeout(() => {
    const at = Date.now();
    process.on('exit', () => process.stdout.write(`held ${Date.now() - at} ms\n`));
    if (cause === 'exit') process.exit(3);
    throw new Error('uncaught on purpose');
  }, 1500);
}

main().catch((error) => {
  process.stderr.write(`setup failed: ${error && error.stack}`);
  process.exitCode = 99;
});
