/**
 * True when `error` is Node's "cannot find" error for `packageName` itself, from `import()` (ESM:
 * `ERR_MODULE_NOT_FOUND`) or `require` (CJS: `MODULE_NOT_FOUND`). An error about one of that
 * package's own dependencies is not matched: the package is installed but broken, and its own
 * message says more than "install it" would.
 *
 * @example
 * ```ts
 * try { onnx = await import('@crossrank/onnx'); }
 * catch (e) { if (isPackageNotFound(e, '@crossrank/onnx')) throw new MissingPackageError(...); throw e; }
 * ```
 */
export function isPackageNotFound(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  if (typeof message !== 'string') return false;
  // ESM: "Cannot find package '<name>' imported from ..."; CJS: "Cannot find module '<name>'\nRequire stack: ...".
  return message.startsWith(`Cannot find package '${packageName}'`) || message.startsWith(`Cannot find module '${packageName}'`);
}
