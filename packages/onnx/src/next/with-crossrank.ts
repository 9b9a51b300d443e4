/**
 * `withCrossrank(nextConfig)`: the one line a Next.js app with `output: 'standalone'` needs for
 * `@crossrank/onnx`. Next.js 16 (Turbopack) traces onnxruntime-node's binding
 * (`bin/napi-v6/<platform>/<arch>/onnxruntime_binding.node`) but not the shared library that binding
 * loads when it starts (`libonnxruntime.so.1`, `libonnxruntime.1.dylib`, `onnxruntime.dll`), so a
 * standalone copy fails with "libonnxruntime.so.1: cannot open shared object file". Nothing a library
 * writes makes Turbopack's tracer ship that file (a resolvable reference to it fails the build with
 * "Unknown module type"), so this adds it through `outputFileTracingIncludes`.
 *
 * Loads nothing heavy: only `node:fs`, `node:module` and `node:path`, at config time.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The part of a Next.js config this touches (structural, so `next` is not a dependency). */
export interface NextConfigWithTracing {
  outputFileTracingIncludes?: Record<string, string[]>;
  /** The rest of the config, passed through unchanged. */
  [option: string]: unknown;
}

/** Route glob the libraries are added for: every route, as any of them may load a model. */
export const ALL_ROUTES = '/**/*';

/**
 * Returns a copy of `nextConfig` whose `outputFileTracingIncludes` also ships ONNX Runtime's shared
 * libraries for the platform that runs `next build` (build where you deploy: Vercel and a
 * `node:22` container are both linux x64). The caller's object is not changed.
 *
 * @example
 * // next.config.ts
 * import { withCrossrank } from '@crossrank/onnx/next';
 * export default withCrossrank({ output: 'standalone' });
 */
export function withCrossrank<T extends NextConfigWithTracing>(
  nextConfig: T,
  projectDir: string = process.cwd(),
): T & { outputFileTracingIncludes: Record<string, string[]> } {
  const includes = { ...nextConfig.outputFileTracingIncludes };
  includes[ALL_ROUTES] = [...(includes[ALL_ROUTES] ?? []), ...onnxRuntimeLibraries(projectDir)];
  return { ...nextConfig, outputFileTracingIncludes: includes };
}

/**
 * The files beside onnxruntime-node's binding for this platform, other than the binding itself,
 * as paths relative to `projectDir` (where Next.js resolves `outputFileTracingIncludes`).
 */
export function onnxRuntimeLibraries(projectDir: string): string[] {
  // onnxruntime-node as @crossrank/onnx resolves it (also where pnpm does not hoist it to the app).
  const manifest = createRequire(__filename).resolve('onnxruntime-node/package.json');
  const dir = path.join(path.dirname(manifest), 'bin', 'napi-v6', process.platform, process.arch);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => !name.endsWith('.node'))
    .map((name) => path.relative(projectDir, path.join(dir, name)).split(path.sep).join('/'));
}
