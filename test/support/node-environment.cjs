// Jest runs each test file in its own vm context, so `Float32Array` inside a test is not the one
// native addons (onnxruntime-node) see, and their `instanceof` checks fail. Hand the test context
// the host realm's typed arrays so tensors cross the boundary intact.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array',
  'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array',
  'BigInt64Array', 'BigUint64Array', 'Buffer', 'TextEncoder', 'TextDecoder',
];

class CrossrankNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = CrossrankNodeEnvironment;
