// Jest runs each test file in its own vm context, so `Float32Array` inside a test is not the one
// native addons (onnxruntime-node) see, and their `instanceof` checks fail. Hand the test context
// the host realm's typed arrays so tensors cross the boundary intact.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array',
  'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array',
  'BigInt64Array', 'BigUint64Array', 'Buffer', 'TextEncoder', 'TextDecoder',
];

// Tests talk to local fakes only. Some name real hosts (a README example's endpoint, the default hub
// URL) and redirect the request themselves; this makes sure nothing in a test process slips past that.
// A request elsewhere fails as an offline machine's would (`TypeError: fetch failed`), naming the URL.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function loopbackOnly(realFetch, realm) {
  return function fetch(input, init) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
    if (!LOOPBACK.has(url.hostname) && !url.hostname.startsWith('127.')) {
      return Promise.reject(new realm.TypeError('fetch failed', { cause: new realm.Error(`tests reach loopback only; refused ${url.origin}`) }));
    }
    return realFetch(input, init);
  };
}

class CrossrankNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
    if (typeof this.global.fetch === 'function') this.global.fetch = loopbackOnly(this.global.fetch.bind(this.global), this.global);
  }
}

module.exports = CrossrankNodeEnvironment;
