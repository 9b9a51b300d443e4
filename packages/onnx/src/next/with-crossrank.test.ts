import { existsSync } from 'node:fs';
import path from 'node:path';
import { ALL_ROUTES, onnxRuntimeLibraries, withCrossrank } from './with-crossrank';

// The Next.js build itself (standalone copy serving a rerank) runs in .ci/packed/check.mjs.
it("lists this platform's ONNX Runtime shared libraries, relative to the project, without the binding", () => {
  const project = path.join(__dirname, '..', '..');
  const files = onnxRuntimeLibraries(project);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    expect(existsSync(path.join(project, file))).toBe(true);
    expect(file).toContain(`bin/napi-v6/${process.platform}/${process.arch}/`);
    expect(file.endsWith('.node')).toBe(false);
  }
  if (process.platform === 'linux') expect(files.some((f) => f.endsWith('/libonnxruntime.so.1'))).toBe(true);
});

it("adds them for every route, keeps the caller's includes and other options, and changes nothing it was given", () => {
  const given = { output: 'standalone' as const, outputFileTracingIncludes: { [ALL_ROUTES]: ['./data/**'], '/api/x': ['./y'] } };
  const before = JSON.stringify(given);
  const config = withCrossrank(given);
  expect(JSON.stringify(given)).toBe(before);
  expect(config.output).toBe('standalone');
  expect(config.outputFileTracingIncludes['/api/x']).toEqual(['./y']);
  const all = config.outputFileTracingIncludes[ALL_ROUTES]!;
  expect(all[0]).toBe('./data/**');
  expect(all.slice(1)).toEqual(onnxRuntimeLibraries(process.cwd()));
});

it('works on an empty config', () => {
  expect(withCrossrank({}).outputFileTracingIncludes?.[ALL_ROUTES]).toEqual(onnxRuntimeLibraries(process.cwd()));
});
