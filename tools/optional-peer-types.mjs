// Marks the declaration imports of an optional peer with `// @ts-ignore`, so a package's .d.ts files
// type-check (skipLibCheck: false) in apps that do not install that peer: the imported types are
// then `any` instead of an error. tsup's declaration bundler drops the comment from the source, so
// it is added back here, after the build.
// Usage: node tools/optional-peer-types.mjs <peer> <file.d.ts>...
import { readFileSync, writeFileSync } from 'node:fs';

const [peer, ...files] = process.argv.slice(2);
if (!peer || files.length === 0) {
  console.error('usage: node tools/optional-peer-types.mjs <peer package> <declaration file>...');
  process.exit(2);
}
const importLine = new RegExp(`^import .* from '${peer.replace(/[/.]/g, '\\$&')}';$`, 'm');
const note = `// @ts-ignore -- ${peer} is an optional peer: without it these types are \`any\`.`;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const match = importLine.exec(text);
  if (!match) {
    console.error(`${file}: no import from '${peer}' found; nothing to mark (update this step or the build).`);
    process.exit(1);
  }
  if (text.slice(0, match.index).endsWith(`${note}\n`)) continue;
  writeFileSync(file, `${text.slice(0, match.index)}${note}\n${text.slice(match.index)}`);
}
