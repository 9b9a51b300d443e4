import { CrossEncoder } from '@crossrank/onnx';
import { describe, expect, it } from 'vitest';
import { MissingPackageError } from '@crossrank/core';
import { ENGINE_PACKAGE, loadCrossEncoder } from './load-cross-encoder.js';
import { testModelDir } from './test-support/test-model.js';

function moduleNotFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('loadCrossEncoder', () => {
  it('loads a CrossEncoder from the engine package', async () => {
    const encoder = await loadCrossEncoder(await testModelDir(), { dtype: 'q8' });
    expect(encoder).toBeInstanceOf(CrossEncoder);
    expect(encoder.info.dtype).toBe('q8');
    await encoder.dispose();
  });

  it('a missing engine is a MissingPackageError saying what to install or pass instead', async () => {
    const error = await loadCrossEncoder('Xenova/ms-marco-MiniLM-L-6-v2', {}, () => Promise.reject(moduleNotFound(ENGINE_PACKAGE))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPackageError);
    expect(error).toMatchObject({ code: 'CROSSRANK_MISSING_PACKAGE', packageName: ENGINE_PACKAGE });
    expect((error as Error).message).toMatch(new RegExp(`install ${ENGINE_PACKAGE}.*or pass a reranker with crossrank\\.fromReranker`));
  });

  it("a dependency missing inside an installed engine keeps its own error (it is not the engine that is missing)", async () => {
    const inner = moduleNotFound('@huggingface/transformers');
    await expect(loadCrossEncoder('m', {}, () => Promise.reject(inner))).rejects.toBe(inner);
  });
});
