import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// One score story: every README that lets a user set a threshold says what scale scores are on and
// the one way to get [0, 1] from any local model. Before, three READMEs promised [0, 1] while
// Identity models (ms-marco-MiniLM-L-6-v2) return raw logits, so `scoreThreshold: 0.5` meant a logit.
const ROOT = path.join(__dirname, '..', '..');
const readmes = ['README.md', ...readdirSync(path.join(ROOT, 'packages')).map((p) => path.join('packages', p, 'README.md'))].filter((file) => {
  try {
    return /scoreThreshold|relevanceScore/.test(readFileSync(path.join(ROOT, file), 'utf8'));
  } catch {
    return false;
  }
});

it('finds the READMEs that document thresholds', () => {
  expect(readmes).toEqual(expect.arrayContaining(['README.md', 'packages/core/README.md', 'packages/langchain/README.md', 'packages/llamaindex/README.md', 'packages/ai-sdk/README.md']));
});

it.each(readmes)('%s names the Identity/raw-logit case and activation: sigmoid, and promises no bare [0, 1] for local scores', (file) => {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  if (file === 'packages/api/README.md') {
    expect(text).toMatch(/activation: 'sigmoid'/);
    return;
  }
  expect(text).toMatch(/raw logits/);
  expect(text).toMatch(/activation: 'sigmoid'/);
  expect(text).not.toMatch(/score (is )?in \[0, 1\]|relevanceScore is in \[0, 1\]|relevance in \[0, 1\]\s*(```|$)|scores are in \[0, 1\]\)/m);
});
