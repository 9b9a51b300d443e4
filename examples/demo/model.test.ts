import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseModel, isGeneratedTestModel } from './model';

describe('chooseModel', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'crossrank-demo-model-'));
    for (const [name, files] of [['both', ['model.onnx', 'model_quantized.onnx']], ['fp32-only', ['model.onnx']]] as const) {
      mkdirSync(path.join(base, name, 'onnx'), { recursive: true });
      for (const f of files) writeFileSync(path.join(base, name, 'onnx', f), '');
    }
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('loads hub models as q8 unless told otherwise', () => {
    expect(chooseModel('Xenova/ms-marco-MiniLM-L-6-v2', undefined, base)).toEqual({ model: 'Xenova/ms-marco-MiniLM-L-6-v2', source: 'hub', dtype: 'q8' });
    expect(chooseModel('Xenova/ms-marco-MiniLM-L-6-v2', 'fp32', base).dtype).toBe('fp32');
  });

  it('resolves folders from the directory the command was typed in and picks the weights they hold', () => {
    expect(chooseModel('both', undefined, base)).toEqual({ model: path.join(base, 'both'), source: 'folder', dtype: 'q8' });
    expect(chooseModel('./fp32-only', undefined, base)).toEqual({ model: path.join(base, 'fp32-only'), source: 'folder', dtype: 'fp32' });
    expect(chooseModel('./fp32-only', 'q8', base).dtype).toBe('q8');
  });

  it('treats a missing path as a folder, so loading names the path instead of asking the hub', () => {
    expect(chooseModel('./no-such-model', undefined, base)).toEqual({ model: path.join(base, 'no-such-model'), source: 'folder', dtype: 'q8' });
  });
});

describe('isGeneratedTestModel', () => {
  it('spots the marker @crossrank/core/testing writes into config.json', () => {
    expect(isGeneratedTestModel({ model_type: 'bert', crossrank_test_model: { seed: 42 } })).toBe(true);
    expect(isGeneratedTestModel({ model_type: 'bert' })).toBe(false);
  });
});
