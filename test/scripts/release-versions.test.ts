import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

// What `changeset version` will publish, checked before it happens: it runs on a copy of the
// workspace's package.json files and pending changesets, then every internal range, as `pnpm pack`
// writes it into the tarball, must accept the version of the package it names. Before this test,
// `@crossrank/ai-sdk` peered on `@crossrank/onnx` with `workspace:^` (`^0.0.0` in the tarball): the
// 0.1.0 release of onnx fell outside it, so changesets bumped ai-sdk as a breaking change, to 1.0.0.
const ROOT = path.join(__dirname, '..', '..');
const requireFromChangesets = createRequire(require.resolve('@changesets/cli/package.json', { paths: [ROOT] }));
const semver = requireFromChangesets('semver') as { satisfies(version: string, range: string): boolean };
const SECTIONS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** pnpm's rewrite of a `workspace:` range on pack/publish. */
function packedRange(range: string, version: string): string {
  const spec = range.slice('workspace:'.length);
  if (spec === '*') return version;
  if (spec === '^' || spec === '~') return `${spec}${version}`;
  return spec;
}

let tmp: string;
let released: Map<string, Manifest>;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'crossrank-changeset-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(path.join(ROOT, file), path.join(tmp, file));
  cpSync(path.join(ROOT, '.changeset'), path.join(tmp, '.changeset'), { recursive: true });
  const folders = [...readdirSync(path.join(ROOT, 'packages')).map((p) => path.join('packages', p)), 'examples', 'benchmarks', 'test'];
  for (const folder of folders) {
    mkdirSync(path.join(tmp, folder), { recursive: true });
    cpSync(path.join(ROOT, folder, 'package.json'), path.join(tmp, folder, 'package.json'));
  }
  execFileSync(process.execPath, [require.resolve('@changesets/cli/bin.js', { paths: [ROOT] }), 'version'], { cwd: tmp, stdio: 'pipe' });
  released = new Map(
    readdirSync(path.join(tmp, 'packages'))
      .map((p) => JSON.parse(readFileSync(path.join(tmp, 'packages', p, 'package.json'), 'utf8')) as Manifest)
      .filter((m) => !m.private)
      .map((m) => [m.name, m]),
  );
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('every published package gets the version its changesets ask for (the first release: 0.1.0, none at 1.0.0)', () => {
  expect([...released.keys()].sort()).toEqual(expect.arrayContaining(['@crossrank/ai-sdk', '@crossrank/core', '@crossrank/onnx']));
  expect(Object.fromEntries([...released].map(([name, m]) => [name, m.version]))).toEqual(Object.fromEntries([...released.keys()].map((name) => [name, '0.1.0'])));
});

it('every internal range in a packed package.json accepts the released version of what it names', () => {
  const problems: string[] = [];
  for (const manifest of released.values()) {
    for (const section of SECTIONS) {
      for (const [dep, range] of Object.entries(manifest[section] ?? {})) {
        const target = released.get(dep);
        if (!target) continue;
        if (!range.startsWith('workspace:')) problems.push(`${manifest.name} ${section}.${dep} is ${range}, not a workspace: range`);
        const packed = packedRange(range, target.version);
        if (!semver.satisfies(target.version, packed)) problems.push(`${manifest.name} ${section}.${dep}: ${packed} does not accept ${target.version}`);
      }
    }
  }
  expect(problems).toEqual([]);
});

it('optional peers on @crossrank/onnx use workspace:^0, so an onnx minor does not force a breaking release of the adapters', () => {
  for (const manifest of released.values()) {
    const peer = manifest.peerDependencies?.['@crossrank/onnx'];
    if (peer !== undefined) expect(`${manifest.name} ${peer}`).toBe(`${manifest.name} workspace:^0`);
  }
});
