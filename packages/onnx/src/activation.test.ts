import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { activate, resolveActivation } from './activation';
import { CrossEncoder } from './cross-encoder';
import { InvalidInputError, ModelFormatError } from './errors';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

describe('resolveActivation: the activation sentence-transformers v4+ would apply', () => {
  const st = (fn: string) => ({ sentence_transformers: { activation_fn: fn } });
  it.each([
    ['v4 Identity', st('torch.nn.modules.linear.Identity'), 1, 'identity'],
    ['v4 Sigmoid', st('torch.nn.modules.activation.Sigmoid'), 1, 'sigmoid'],
    ['short torch.nn.Sigmoid', st('torch.nn.Sigmoid'), 1, 'sigmoid'],
    ['v4 Softmax on two labels', st('torch.nn.modules.activation.Softmax'), 2, 'softmax'],
    ['pre-v4 key', { sbert_ce_default_activation_function: 'torch.nn.modules.linear.Identity' }, 1, 'identity'],
    ['v4 key wins over the pre-v4 key', { ...st('torch.nn.modules.activation.Sigmoid'), sbert_ce_default_activation_function: 'torch.nn.modules.linear.Identity' }, 1, 'sigmoid'],
  ] as const)('%s', (_label, config, labels, expected) => {
    expect(resolveActivation(undefined, config, labels)).toEqual({ activation: expected, source: 'config' });
  });

  it('defaults to sigmoid for one logit and softmax for two', () => {
    expect(resolveActivation(undefined, {}, 1)).toEqual({ activation: 'sigmoid', source: 'default' });
    expect(resolveActivation(undefined, {}, 2)).toEqual({ activation: 'softmax', source: 'default' });
    // An empty sentence_transformers block (no activation_fn) is no declaration.
    expect(resolveActivation(undefined, { sentence_transformers: {} }, 1).source).toBe('default');
  });

  it('ignores non-torch paths, as sentence-transformers does without trust_remote_code', () => {
    expect(resolveActivation(undefined, st('my_package.MyActivation'), 1)).toEqual({ activation: 'sigmoid', source: 'default' });
  });

  it('rejects a torch activation it does not implement, naming the option that fixes it', () => {
    expect(() => resolveActivation(undefined, st('torch.nn.modules.activation.Tanh'), 1)).toThrow(ModelFormatError);
    expect(() => resolveActivation(undefined, st('torch.nn.modules.activation.Tanh'), 1)).toThrow(/options\.activation/);
    expect(resolveActivation('identity', st('torch.nn.modules.activation.Tanh'), 1)).toEqual({ activation: 'identity', source: 'option' });
  });

  it('lets the option override the config', () => {
    expect(resolveActivation('sigmoid', st('torch.nn.modules.linear.Identity'), 1)).toEqual({ activation: 'sigmoid', source: 'option' });
  });

  it('refuses softmax over a single logit (1 for every pair)', () => {
    expect(() => resolveActivation('softmax', {}, 1)).toThrow(InvalidInputError);
    expect(() => resolveActivation(undefined, st('torch.nn.modules.activation.Softmax'), 1)).toThrow(ModelFormatError);
  });

  it.each([['tanh'], ['Sigmoid'], [1], [null]])('rejects the option %p', (value) => {
    expect(() => resolveActivation(value, {}, 1)).toThrow(InvalidInputError);
  });

  it('maps raw outputs', () => {
    expect(activate('identity', -3.5)).toBe(-3.5);
    expect(activate('sigmoid', 0)).toBe(0.5);
    // Two logits (a, b): softmax's positive probability e^b / (e^a + e^b) from b - a.
    const [a, b] = [0.3, 1.9];
    expect(activate('softmax', b - a)).toBeCloseTo(Math.exp(b) / (Math.exp(a) + Math.exp(b)), 12);
  });
});

describe('CrossEncoder scores follow the declared activation', () => {
  const QUERY = 'How does Docker networking work?';
  const DOCS = [
    'Docker creates a bridge network named docker0 and attaches containers to it by default.',
    'Django is a Python web framework with an ORM and an admin site.',
    'With host networking a container shares the host network stack and publishes no ports.',
    'Port publishing maps a host port to a container port with -p 8080:80.',
  ];
  let base: string;
  let base2: string;
  let tmp: string;

  beforeAll(async () => {
    ({ dir: base } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny') }));
    ({ dir: base2 } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny-2labels'), numLabels: 2 }));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crossrank-activation-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /**
   * A copy of `from` whose config.json declares only what `patch` declares. (Generated models copy
   * the real ms-marco-MiniLM-L-6-v2 config, which declares Identity.)
   */
  function withConfig(from: string, name: string, patch: Record<string, unknown>): string {
    const to = path.join(tmp, name);
    cpSync(from, to, { recursive: true });
    const configPath = path.join(to, 'config.json');
    const { sentence_transformers: _st, sbert_ce_default_activation_function: _legacy, ...config } = JSON.parse(readFileSync(configPath, 'utf8'));
    writeFileSync(configPath, JSON.stringify({ ...config, ...patch }));
    return to;
  }

  it('a generated model declares Identity, as the real ms-marco-MiniLM-L-6-v2 config does', async () => {
    const { ranked, raw, ce } = await scoresOf(base);
    expect(ce.info).toMatchObject({ activation: 'identity', activationSource: 'config' });
    for (const { index, score } of ranked) expect(score).toBe(raw[index]);
  });

  async function scoresOf(dir: string, options = {}): Promise<{ ranked: Array<{ index: number; score: number }>; raw: Float32Array; ce: CrossEncoder }> {
    const ce = await CrossEncoder.load(dir, options);
    try {
      return { ranked: await ce.rerank(QUERY, DOCS), raw: await ce.predict(DOCS.map((d) => [QUERY, d] as const)), ce };
    } finally {
      await ce.dispose();
    }
  }

  const expectSorted = (ranked: Array<{ score: number }>) => {
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
  };

  it.each([
    ['sentence_transformers.activation_fn Identity', { sentence_transformers: { activation_fn: 'torch.nn.modules.linear.Identity' } }, 'identity'],
    ['sentence_transformers.activation_fn Sigmoid', { sentence_transformers: { activation_fn: 'torch.nn.modules.activation.Sigmoid' } }, 'sigmoid'],
    ['pre-v4 sbert_ce_default_activation_function Identity', { sbert_ce_default_activation_function: 'torch.nn.modules.linear.Identity' }, 'identity'],
    ['no declaration', {}, 'sigmoid'],
  ] as const)('one logit, %s', async (name, patch, expected) => {
    const dir = withConfig(base, name.replace(/\W+/g, '-'), patch);
    const { ranked, raw, ce } = await scoresOf(dir);
    expect(ce.info.activation).toBe(expected);
    expect(ce.info.activationSource).toBe(Object.keys(patch).length ? 'config' : 'default');
    expectSorted(ranked);
    for (const { index, score } of ranked) {
      const want = expected === 'identity' ? raw[index]! : 1 / (1 + Math.exp(-raw[index]!));
      expect(score).toBeCloseTo(want, 6);
    }
  });

  it('identity scores are the raw logits, some outside [0, 1], in the same order as sigmoid', async () => {
    const identity = await scoresOf(withConfig(base, 'plain', {}), { activation: 'identity' });
    const sig = await scoresOf(base, { activation: 'sigmoid' });
    expect(identity.ranked.map((r) => r.index)).toEqual(sig.ranked.map((r) => r.index));
    expect(identity.ranked.some((r) => r.score < 0 || r.score > 1)).toBe(true);
    expect(identity.ce.info.activationSource).toBe('option');
  });

  it('the option overrides the config', async () => {
    const dir = withConfig(base, 'override', { sentence_transformers: { activation_fn: 'torch.nn.modules.linear.Identity' } });
    const { ranked, raw, ce } = await scoresOf(dir, { activation: 'sigmoid' });
    expect(ce.info.activation).toBe('sigmoid');
    for (const { index, score } of ranked) expect(score).toBeCloseTo(1 / (1 + Math.exp(-raw[index]!)), 6);
  });

  it('two logits: softmax by default (positive class), identity gives positive minus negative', async () => {
    const soft = await scoresOf(withConfig(base2, 'two-plain', {}));
    expect(soft.ce.info.activation).toBe('softmax');
    for (const { index, score } of soft.ranked) expect(score).toBeCloseTo(1 / (1 + Math.exp(-soft.raw[index]!)), 6);
    const dir = withConfig(base2, 'two-identity', { sentence_transformers: { activation_fn: 'torch.nn.modules.linear.Identity' } });
    const identity = await scoresOf(dir);
    expect(identity.ranked.map((r) => r.score)).toEqual(identity.ranked.map((r) => identity.raw[r.index]));
    expect(identity.ranked.map((r) => r.index)).toEqual(soft.ranked.map((r) => r.index));
  });

  it('fails before loading on a bad option, and on an unsupported declared activation', async () => {
    await expect(CrossEncoder.load(base, { activation: 'relu' as never })).rejects.toThrow(InvalidInputError);
    await expect(CrossEncoder.load(base, { activation: 'softmax' })).rejects.toThrow(/one logit/);
    await expect(CrossEncoder.load(base, { activation: 'softmax' })).rejects.toThrow(InvalidInputError);
    const dir = withConfig(base, 'tanh', { sentence_transformers: { activation_fn: 'torch.nn.modules.activation.Tanh' } });
    await expect(CrossEncoder.load(dir)).rejects.toThrow(ModelFormatError);
  });
});
