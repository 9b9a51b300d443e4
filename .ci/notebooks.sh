#!/usr/bin/env bash
# Makes sure the notebook test (examples/notebooks/notebooks.test.ts) can run: it executes each notebook
# with Jupyter's nbclient (Python) and the tslab TypeScript kernel (an npm dev dependency of examples/).
# Installs Debian's python3-nbclient when no Python can import nbclient (about 15 s with apt-get update).
#   bash .ci/notebooks.sh
set -euo pipefail

has_nbclient() {
  local py
  for py in ${CROSSRANK_NOTEBOOK_PYTHON:-python3 /usr/bin/python3}; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import nbclient, nbformat' >/dev/null 2>&1; then return 0; fi
  done
  return 1
}

if has_nbclient; then
  echo "notebooks.sh: nbclient is installed."
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "notebooks.sh: nbclient is missing and this is not a root Debian/Ubuntu shell; install it yourself:" >&2
  echo "  sudo apt-get install python3-nbclient   or   python3 -m pip install nbclient" >&2
  exit 1
fi
echo "notebooks.sh: installing python3-nbclient..."
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-nbclient >/dev/null
has_nbclient || { echo "notebooks.sh: python3-nbclient was installed but /usr/bin/python3 cannot import nbclient." >&2; exit 1; }
echo "notebooks.sh: nbclient is installed."
