import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Runs typedoc with the repo's typedoc.json, as `pnpm docs` does, but writing its JSON model to a
// temporary file instead of the HTML site (`--json` replaces the `outputs` of typedoc.json), and
// checks the reference documents each import path's public API with working cross-package links.
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const TYPEDOC = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

// typedoc's ReflectionKind values (stable in its JSON schema).
const KIND = { Module: 2, Property: 1024, Function: 64, Class: 128, Interface: 256, Method: 2048 } as const;

interface Comment {
  summary: { text: string }[];
}

interface Reflection {
  id: number;
  name: string;
  kind: number;
  children?: Reflection[];
  comment?: Comment;
  signatures?: { comment?: Comment }[];
  type?: { type: string; target?: unknown; name?: string };
}

let project: Reflection;
let log: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossrank-typedoc-'));
  try {
    const json = join(dir, 'api.json');
    // --disableSources: no git lookups (faster, and no "git remote" warning in a clone without one).
    const { stdout, stderr } = await run(process.execPath, [TYPEDOC, '--options', 'typedoc.json', '--disableSources', '--json', json], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    log = `${stdout}${stderr}`;
    project = JSON.parse(readFileSync(json, 'utf8')) as Reflection;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function child(parent: Reflection, name: string, kind: number): Reflection {
  const found = parent.children?.find((c) => c.name === name && c.kind === kind);
  if (!found) {
    const names = (parent.children ?? []).map((c) => `${c.name} (kind ${c.kind})`).join(', ');
    throw new Error(`${parent.name} has no ${name} of kind ${kind}; it has: ${names}`);
  }
  return found;
}

const summary = (r: { comment?: Comment } | undefined) => (r?.comment?.summary ?? []).map((p) => p.text).join('').trim();

it('runs without errors or warnings (broken {@link}s, missing entry points, type errors)', () => {
  expect(log).not.toMatch(/\[error\]|\[warning\]/);
  expect(log).toMatch(/json generated at/);
});

it('names one module per import path', () => {
  expect(project.children?.map((c) => [c.name, c.kind])).toEqual([
    ['@crossrank/ai-sdk', KIND.Module],
    ['@crossrank/api', KIND.Module],
    ['@crossrank/core', KIND.Module],
    ['@crossrank/langchain', KIND.Module],
    ['@crossrank/llamaindex', KIND.Module],
    ['@crossrank/onnx', KIND.Module],
    ['@crossrank/onnx/next', KIND.Module],
    ['@crossrank/testing', KIND.Module],
  ]);
});

it('documents Reranker, CrossEncoder and the API rerankers, each in its package, with their doc comments', () => {
  const core = child(project, '@crossrank/core', KIND.Module);
  const crossEncoder = child(child(project, '@crossrank/onnx', KIND.Module), 'CrossEncoder', KIND.Class);
  expect(summary(crossEncoder)).toMatch(/cross-encoder/i);
  expect(summary(child(crossEncoder, 'load', KIND.Method).signatures?.[0])).toMatch(/hub id|folder/i);
  expect(summary(child(core, 'Reranker', KIND.Interface))).toMatch(/contract/i);
  expect(summary(child(child(project, '@crossrank/api', KIND.Module), 'CohereReranker', KIND.Class))).toMatch(/Cohere/);
  expect(summary(child(core, 'FallbackReranker', KIND.Class))).toMatch(/in order/);
  const testing = child(project, '@crossrank/testing', KIND.Module);
  expect(summary(child(testing, 'createTestCrossEncoder', KIND.Function).signatures?.[0])).toMatch(/random weights/);
});

it("documents the adapters, with their references to core's types linked to core's pages", () => {
  const core = child(project, '@crossrank/core', KIND.Module);
  const langchain = child(project, '@crossrank/langchain', KIND.Module);
  child(langchain, 'CrossEncoderReranker', KIND.Class);
  child(child(project, '@crossrank/llamaindex', KIND.Module), 'CrossEncoderRerank', KIND.Class);
  // A reference into the same project has a numeric target: the id of core's own Reranker page.
  const reranker = child(child(langchain, 'RerankerFields', KIND.Interface), 'reranker', KIND.Property);
  expect(reranker.type).toMatchObject({ type: 'reference', name: 'Reranker', target: child(core, 'Reranker', KIND.Interface).id });
});
