import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseModel, isGeneratedModelFolder, isGeneratedTestModel } from './model';

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
  it('spots the marker @crossrank/testing writes into config.json', () => {
    expect(isGeneratedTestModel({ model_type: 'bert', crossrank_test_model: { seed: 42 } })).toBe(true);
    expect(isGeneratedTestModel({ model_type: 'bert' })).toBe(false);
  });
});

describe('isGeneratedModelFolder', () => {
  it("reads the marker from a chosen folder's config.json; hub ids and unreadable configs are not generated", () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'crossrank-demo-marker-'));
    try {
      const write = (name: string, config: string) => {
        mkdirSync(path.join(base, name));
        writeFileSync(path.join(base, name, 'config.json'), config);
        return chooseModel(path.join(base, name), 'fp32');
      };
      expect(isGeneratedModelFolder(write('generated', JSON.stringify({ crossrank_test_model: { seed: 1 } })))).toBe(true);
      expect(isGeneratedModelFolder(write('real', JSON.stringify({ model_type: 'bert' })))).toBe(false);
      expect(isGeneratedModelFolder(write('broken', '{ not json'))).toBe(false);
      expect(isGeneratedModelFolder(write('array', '[1]'))).toBe(false);
      expect(isGeneratedModelFolder(chooseModel(path.join(base, 'missing'), 'fp32'))).toBe(false);
      expect(isGeneratedModelFolder({ model: 'Xenova/ms-marco-MiniLM-L-6-v2', source: 'hub', dtype: 'fp32' })).toBe(false);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
