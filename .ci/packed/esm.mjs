// ESM entry: the packages are loaded with import(), so their "import" exports are the ones tested.
import { createRequire } from 'node:module';

const { run } = createRequire(import.meta.url)('./scenario.cjs');
await run((specifier) => import(specifier), { local: process.env.CROSSRANK_LOCAL === '1', model: process.env.CROSSRANK_MODEL });
