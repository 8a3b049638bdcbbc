"""Executes notebooks headless with nbclient and the "sparkformer" kernel; writes each executed copy.

    python3 execute_notebooks.py WORKING_DIR EXECUTED_DIR NOTEBOOK...

Fails (exit 1) on the first cell error, except in cells tagged raises-exception, which must raise one.
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(working_dir, executed_dir, notebooks):
    failed = False
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        name = os.path.basename(path)
        client = NotebookClient(nb, kernel_name="sparkformer", timeout=900, startup_timeout=180,
                                resources={"metadata": {"path": working_dir}})
        start = time.time()
        try:
            client.execute()
            print(f"{name}: ran in {time.time() - start:.0f} s", flush=True)
        except CellExecutionError as e:
            print(f"{name}: a cell failed after {time.time() - start:.0f} s\n{e}", flush=True)
            failed = True
        finally:
            nbformat.write(nb, os.path.join(executed_dir, name))
        if failed:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
