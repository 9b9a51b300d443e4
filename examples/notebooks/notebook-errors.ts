import { CrossrankError } from '@crossrank/core';

/** A notebook file is missing, not JSON, or not nbformat 4. */
export class NotebookFormatError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_NOTEBOOK_FORMAT';
}

/** Jupyter's Python side (nbclient) or the tslab kernel is not installed. */
export class NotebookSetupError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_NOTEBOOK_SETUP';
}

/** A code cell failed (an exception, a type error, a timeout or a dead kernel). */
export class NotebookCellError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_NOTEBOOK_CELL';

  constructor(
    message: string,
    /** The notebook file. */
    readonly notebook: string,
    /** The failing cell's index among all the notebook's cells (0-based). */
    readonly cellIndex: number,
  ) {
    super(message);
  }
}
