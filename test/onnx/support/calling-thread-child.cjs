// Loads a CrossEncoder with the options given, reranks and predicts, then reports which heavy
// modules this (the calling) thread loaded and the nice value of each of the process's threads.
const { readdirSync, readFileSync } = require('node:fs');
const { CrossEncoder } = require('@crossrank/onnx');

function threadNices() {
  // /proc/self/task/<tid>/stat: field 19 is the nice value (fields counted after the ")" of the name).
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { tid: Number(tid), nice: Number(fields[16]) };
  });
}

async function main() {
  const [dir, optionsJson] = process.argv.slice(2);
  const encoder = await CrossEncoder.load(dir, JSON.parse(optionsJson));
  const documents = ['containers talk over a bridge network', 'a pod has one IP', 'ingress routes HTTP'];
  const ranked = await encoder.rerank('how do containers talk', documents);
  const scores = await encoder.predict(documents.map((d) => ['how do containers talk', d]));
  const loaded = Object.keys(require.cache);
  const has = (name) => loaded.some((file) => file.includes(`${require('node:path').sep}${name}${require('node:path').sep}`));
  const nices = process.platform === 'linux' ? threadNices() : [];
  process.stdout.write(
    JSON.stringify({
      workers: encoder.info.workers,
      workerNice: encoder.info.workerNice,
      ranked: ranked.map((r) => r.index),
      scores: Array.from(scores),
      tokenizers: has('tokenizers'),
      jinja: has('jinja'),
      onnxruntime: has('onnxruntime-node'),
      mainNice: nices.find((t) => t.tid === process.pid)?.nice,
      otherNices: nices.filter((t) => t.tid !== process.pid).map((t) => t.nice),
    }),
  );
  await encoder.dispose();
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exitCode = 1;
});
