// `require('@crossrank/ai-sdk')` of the ESM-only package: works where Node's require() loads ES
// modules (Node 20.19+, 22.12+). The README states what this shows.
const { createCrossrank, crossrank } = require('@crossrank/ai-sdk');
if (typeof createCrossrank !== 'function' || typeof crossrank.rerankingModel !== 'function') throw new Error('exports missing');
console.log(`ok ai-sdk require() ${process.version}`);
