// Test helper (not exported): one generated cross-encoder folder (seeded random weights, real
// tokenizer) shared by this package's tests; generated once into the git-ignored cache.
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

let dir: Promise<string> | undefined;

/** The folder of a tiny generated model with an int8 `q8` variant. */
export function testModelDir(): Promise<string> {
  dir ??= createTestCrossEncoder({ dir: defaultTestModelDir('ai-sdk-tiny'), quantized: true }).then((model) => model.dir);
  return dir;
}

/** Passages on several topics, so a query has something to choose between. */
export const PASSAGES = [
  'Docker containers on one bridge network reach each other by container name through the embedded DNS server.',
  'A Dockerfile describes how an image is built, layer by layer.',
  'Kubernetes schedules pods onto nodes and restarts them when they fail.',
  'The overlay network driver connects containers running on different Docker hosts.',
  'Bread dough rises because yeast ferments sugars and releases carbon dioxide.',
  'Port publishing maps a container port to a port on the host with -p 8080:80.',
  'Volumes keep data outside the container filesystem so it survives restarts.',
  'The French Revolution began in 1789 with the storming of the Bastille.',
];

export const QUERY = 'How does Docker networking work?';
