"""Executes a notebook's code cells in order with Jupyter's own nbclient and writes the executed copy.

  python3 execute_notebook.py SOURCE.ipynb DEST.ipynb KERNEL_NAME CELL_TIMEOUT_S

Called by notebook-runner.ts. It exists instead of `jupyter nbconvert --execute` because nbconvert names
neither the failing cell's index nor tslab's error text (tslab reports errors on stderr, and nbconvert
prints "<Error>: "), and writes nothing when a cell fails. Here the cells run one at a time, the partly
executed notebook is written either way, and the last stdout line is JSON: {"failed": null} or
{"failed": {"cell": INDEX, "error": "..."}}. Needs python3-nbclient (Debian) or `pip install nbclient`.
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellControlSignal, CellExecutionError, CellTimeoutError, DeadKernelError


def main() -> None:
    source, dest, kernel_name, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=kernel_name,
        timeout=timeout,
        # Timestamps in saved notebooks would change on every run and make every diff noisy.
        record_timing=False,
        # The kernel starts in the notebook's folder, as Jupyter does, so relative paths work the same.
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
    )
    failed = None
    client.reset_execution_trackers()
    with client.setup_kernel():
        reply = client.wait_for_reply(client.kc.kernel_info())
        if reply is not None:
            notebook.metadata["language_info"] = reply["content"]["language_info"]
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError, CellControlSignal) as error:
                failed = {"cell": index, "error": str(error)}
                break
    nbformat.write(notebook, dest)
    print(json.dumps({"failed": failed}))


if __name__ == "__main__":
    main()
