import * as core from './index';
import { CrossrankError, InvalidInputError, isCrossrankError, MissingPackageError, RerankAbortedError } from './errors';

// Every error class @crossrank/core exports, found from the module itself so a new class is covered.
const errorClasses = Object.entries(core).filter(
  (entry): entry is [string, typeof CrossrankError] =>
    typeof entry[1] === 'function' && (entry[1] === CrossrankError || entry[1].prototype instanceof CrossrankError),
);

function make(Class: typeof CrossrankError): CrossrankError {
  // Constructors take (message), (message, tried), (packageName, message) or (names, errors).
  const Any = Class as unknown as new (...args: unknown[]) => CrossrankError;
  if ((Class as unknown) === core.AllRerankersFailedError) return new Any(['a'], [new Error('down')]);
  if (Class === MissingPackageError) return new Any('@crossrank/onnx', 'install it');
  if ((Class as unknown) === core.WorkerFailedError) return new Any('message', 1);
  return new Any('message', []);
}

it('finds the error classes it checks', () => {
  expect(errorClasses.map(([name]) => name).sort()).toEqual([
    'AllRerankersFailedError',
    'CrossrankError',
    'DisposedError',
    'InvalidInputError',
    'MissingPackageError',
    'ModelFormatError',
    'ModelNotFoundError',
    'RerankAbortedError',
    'TokenizerNotFoundError',
    'UnknownOptionError',
    'WorkerFailedError',
  ]);
});

it.each(errorClasses)('%s has its own literal name, a CROSSRANK_ code and passes isCrossrankError', (exportName, Class) => {
  const error = make(Class);
  expect(error.name).toBe(exportName);
  expect(error.code).toMatch(/^CROSSRANK_[A-Z_]+$/);
  expect(error).toBeInstanceOf(Error);
  expect(isCrossrankError(error)).toBe(true);
  expect(isCrossrankError(error, error.code)).toBe(true);
  expect(isCrossrankError(error, 'CROSSRANK_SOMETHING_ELSE')).toBe(false);
  expect(String(error)).toMatch(new RegExp(`^${exportName}: `));
});

it('keeps the literal name when the class name is mangled (as a minifier does)', () => {
  const original = Object.getOwnPropertyDescriptor(InvalidInputError, 'name')!;
  Object.defineProperty(InvalidInputError, 'name', { value: 'e', configurable: true });
  try {
    expect(new InvalidInputError('x').name).toBe('InvalidInputError');
  } finally {
    Object.defineProperty(InvalidInputError, 'name', original);
  }
});

it("names a subclass outside crossrank that sets no name after its class", () => {
  class AppError extends CrossrankError {}
  expect(new AppError('x').name).toBe('AppError');
  expect(isCrossrankError(new AppError('x'))).toBe(true);
});

it('recognises an error from a second copy of the package, where instanceof fails', () => {
  let Other: typeof RerankAbortedError | undefined;
  jest.isolateModules(() => {
    Other = (jest.requireActual('./errors') as typeof import('./errors')).RerankAbortedError;
  });
  const foreign = new Other!('aborted elsewhere');
  expect(Other).not.toBe(RerankAbortedError);
  expect(foreign instanceof RerankAbortedError).toBe(false);
  expect(isCrossrankError(foreign, 'CROSSRANK_ABORTED')).toBe(true);
});

it.each([
  ['a plain Error', new Error('x')],
  ['an Error with a look-alike code', Object.assign(new Error('x'), { code: 'CROSSRANK_ABORTED' })],
  ['an object with a string marker key', { 'crossrank.error': true, code: 'CROSSRANK_ABORTED' }],
  ['null', null],
  ['a string', 'CrossrankError'],
])('does not take %s for a crossrank error', (_, value) => {
  expect(isCrossrankError(value)).toBe(false);
});

it('MissingPackageError carries the package to install', () => {
  const error = new MissingPackageError('@crossrank/onnx', 'install @crossrank/onnx', { cause: 'why' });
  expect(error.packageName).toBe('@crossrank/onnx');
  expect(error.cause).toBe('why');
});
