// CommonJS entry: the packages are loaded with require(), so their "require" exports are the ones tested.
const { run } = require('./scenario.cjs');

run(async (specifier) => require(specifier), { local: process.env.CROSSRANK_LOCAL === '1', model: process.env.CROSSRANK_MODEL });
