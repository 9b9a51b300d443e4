import path from 'node:path';
import { defineConfig } from 'tsup';

/**
 * The ESM build starts its worker from src/worker/start-worker.esm.ts, which names the script as
 * `new URL('./worker.mjs', import.meta.url)`; the CJS build (and the sources under ts-jest) from
 * start-worker.ts, `path.join(__dirname, 'worker.cjs')`. Two files rather than one with a branch per
 * format: each build then holds only its own form, so tracers and bundlers ship one worker, not both.
 */
const startWorkerPerFormat = {
  name: 'crossrank-start-worker-per-format',
  setup(build: { initialOptions: { format?: string }; onResolve: (o: { filter: RegExp }, cb: (args: { path: string; resolveDir: string }) => { path: string }) => void }) {
    if (build.initialOptions.format !== 'esm') return;
    build.onResolve({ filter: /^\.\/start-worker\.js$/ }, (args) => ({ path: path.join(args.resolveDir, 'start-worker.esm.ts') }));
  },
};

// `shims`: `__dirname`/`import.meta.url` locate the worker script in both builds.
const shared = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  sourcemap: true,
  target: 'node20' as const,
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
  shims: true,
  esbuildPlugins: [startWorkerPerFormat],
  // Which build a module is in (runtime-modules.ts loads the runtime modules by it).
  esbuildOptions(options: { define?: Record<string, string> }, context: { format: string }) {
    options.define = { ...options.define, __CROSSRANK_BUILD_FORMAT__: JSON.stringify(context.format) };
  },
};

export default defineConfig([
  // ESM + CJS with declarations per format. Dependencies stay external (tsup's default), so the app's
  // single @crossrank/core supplies the error classes, and one onnxruntime-node its native binding.
  {
    ...shared,
    // `./next`: withCrossrank(nextConfig), imported by next.config at build time (src/next/).
    entry: { index: 'src/index.ts', next: 'src/next/with-crossrank.ts' },
    dts: true,
    // The worker build below writes into the same folder at the same time.
    clean: ['!worker.mjs*', '!worker.cjs*'],
  },
  // The worker thread's script (dist/worker.mjs, dist/worker.cjs): in `files` but not `exports`, and
  // named from the module file's folder (src/worker/start-worker*.ts). One self-contained file per
  // format, with @crossrank/core inside: Next.js (Turbopack) copies it as a plain asset and bundles
  // @crossrank/core into the route, so the copy can import neither a shared chunk nor
  // @crossrank/core. `.mjs`, because that copy lands in a folder without "type": "module".
  // The tokenizer library and the chat-template engine are inside too: the worker's encoder thread
  // is their only user when workers run, and a bundler that inlines them into the route (Turbopack
  // does, being plain JavaScript) leaves no copy in node_modules for the worker to import.
  // What stays external is what a server keeps in node_modules anyway (ONNX Runtime, its loader).
  {
    ...shared,
    entry: { worker: 'src/worker/entry.ts' },
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
    noExternal: ['@crossrank/core', '@huggingface/tokenizers', '@huggingface/jinja'],
    splitting: false,
    dts: false,
    clean: false,
  },
]);
