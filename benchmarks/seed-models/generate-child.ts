// Generates one shape's model folder (fp32 + q8) in its own process: the largest shape holds a few GB
// of weights and protobuf while being written, which the parent and the timing processes never see.
import { createTestCrossEncoder } from '@crossrank/testing';
import { shapeById } from './seed-models.js';

const [shapeId, dir] = process.argv.slice(2);
if (!shapeId || !dir) throw new Error('usage: generate-child.ts <shape-id> <dir>');
const { layers, hidden, heads, intermediate, architecture } = shapeById(shapeId);
const started = performance.now();
const model = await createTestCrossEncoder({ dir, layers, hidden, heads, intermediate, quantized: true, ...(architecture ? { architecture } : {}) });
process.stdout.write(`${JSON.stringify({ dir: model.dir, files: model.files, ms: performance.now() - started })}\n`);
