import { readFileSync, writeFileSync } from 'node:fs';
import { NotebookFormatError } from './notebook-errors.js';

/** The parts of an nbformat 4 notebook the runner reads; everything else is kept as it is. */
export interface Notebook {
  nbformat: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  /** nbformat allows one string or a list of lines. */
  source: string | string[];
  /** Jupyter keeps cell tags in `metadata.tags`. */
  metadata?: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
}

export type Output =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string | string[] }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] }
  | { output_type: 'execute_result' | 'display_data'; data: Record<string, string | string[]> };

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new NotebookFormatError(`Cannot read the notebook ${file}: ${(error as Error).message}. Check the path.`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(`${file} is not JSON (${(error as Error).message}). Save it again from Jupyter.`, { cause: error });
  }
  const notebook = value as Partial<Notebook>;
  if (notebook?.nbformat !== 4 || !Array.isArray(notebook.cells)) {
    throw new NotebookFormatError(`${file} is not an nbformat 4 notebook (it needs "nbformat": 4 and a "cells" list). Save it again from Jupyter 4 or later.`);
  }
  return notebook as Notebook;
}

/**
 * Writes `notebook` as Jupyter's nbformat does (keys sorted, one-space indent, a final newline), so saving from
 * here or from Jupyter gives the same bytes and diffs show only real changes.
 */
export function writeNotebook(file: string, notebook: Notebook): void {
  writeFileSync(file, `${JSON.stringify(sortKeys(notebook), null, 1)}\n`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

export const joinText = (text: string | string[]): string => (Array.isArray(text) ? text.join('') : text);

/** What a cell printed to stdout, as one string. */
export function cellStdout(cell: Cell): string {
  return (cell.outputs ?? []).map((o) => (o.output_type === 'stream' && o.name === 'stdout' ? joinText(o.text) : '')).join('');
}

/** What a cell reported as an error: stderr (where tslab writes exceptions and type errors) and error outputs. */
export function cellErrors(cell: Cell): string {
  return (cell.outputs ?? [])
    .map((o) => {
      if (o.output_type === 'stream' && o.name === 'stderr') return joinText(o.text);
      if (o.output_type === 'error') return [`${o.ename}: ${o.evalue}`, ...o.traceback].join('\n');
      return '';
    })
    .join('')
    .trim();
}

export const codeCellCount = (notebook: Notebook): number => notebook.cells.filter((c) => c.cell_type === 'code').length;
