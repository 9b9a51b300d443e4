#!/usr/bin/env bash
# Opens the notebooks in Jupyter with the TypeScript kernel, or runs them headless; from a fresh clone.
#
#   bash examples/notebooks/notebooks.sh open [--test-model] [-- JUPYTER_OPTIONS...]
#   bash examples/notebooks/notebooks.sh run  [--test-model] [--save] [NOTEBOOK.ipynb ...]
#
# Both install the workspace's packages (pnpm install, which brings the tslab kernel: a dev dependency of
# examples/) and build the packages the notebooks import.
# open: needs Jupyter (JupyterLab or Notebook); a root Debian/Ubuntu shell gets Debian's jupyter-notebook,
#       elsewhere it says how to install it. The tslab kernel is registered for this server only (JUPYTER_PATH),
#       under the name the notebooks ask for, "tslab", and Jupyter starts in examples/notebooks.
# run:  needs Jupyter's nbclient (.ci/notebooks.sh installs python3-nbclient on Debian) and executes every
#       cell of every notebook in order (run-notebooks.ts); --save writes the outputs back.
# --test-model: a generated model (real architecture and tokenizer, random weights) instead of the hub model
#       Xenova/ms-marco-MiniLM-L-6-v2, for machines that cannot reach huggingface.co: the code runs, but the
#       scores and rankings mean nothing. CROSSRANK_MODEL (a hub id or a local folder) picks another model.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/examples/notebooks"
HUB_MODEL='Xenova/ms-marco-MiniLM-L-6-v2'

say() { echo "notebooks.sh: $*" >&2; }
die() { say "$*"; exit 1; }
has() { command -v "$1" >/dev/null 2>&1; }

usage() {
  sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

setup_workspace() {
  has node || die "Node.js 20 or later is needed (https://nodejs.org), then run this again."
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js 20 or later is needed; this is $(node --version)."
  has pnpm || die "pnpm is needed: \`corepack enable\` (it comes with Node.js) or \`npm install -g pnpm@12.4.2\`, then run this again."
  local log
  log=$(mktemp)
  say "installing the workspace's packages (pnpm install)..."
  if ! (cd "$ROOT" && pnpm install --frozen-lockfile) >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "pnpm install failed (above)."
  fi
  say "building the packages the notebooks import..."
  if ! (cd "$ROOT" && pnpm exec turbo run build --filter='@crossrank/examples^...' --output-logs=errors-only) >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "the build failed (above)."
  fi
  rm -f "$log"
}

# Node's fetch, as the notebooks' model download will use it.
hub_reachable() {
  node -e "fetch('https://huggingface.co/api/models/$HUB_MODEL', { signal: AbortSignal.timeout(5000) })
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" >/dev/null 2>&1
}

use_test_model() {
  CROSSRANK_MODEL=$(cd "$ROOT/examples" && pnpm exec tsx notebooks/test-model.ts)
  export CROSSRANK_MODEL
  say "using a GENERATED model: $CROSSRANK_MODEL"
  say "  It has the real architecture and tokenizer but random weights: every cell runs, but its scores and"
  say "  rankings mean nothing (they are not what reranking does). Run without --test-model online to see the real ones."
}

offline_note() {
  say "cannot reach huggingface.co from Node.js (offline, or behind a proxy Node does not use), so the model"
  say "  $HUB_MODEL cannot be downloaded. The cells that load it will fail unless it is already in the cache."
}

open_notebooks() {
  local test_model=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --test-model) test_model=1; shift ;;
      --) shift; break ;;
      -h|--help) usage ;;
      *) die "unknown option $1 for open (Jupyter's own options go after --)." ;;
    esac
  done
  setup_workspace

  local jupyter=''
  if has jupyter-lab; then jupyter=jupyter-lab; elif has jupyter-notebook; then jupyter=jupyter-notebook; fi
  if [ -z "$jupyter" ] && has apt-get && [ "$(id -u)" = 0 ]; then
    say "installing Jupyter Notebook (Debian's jupyter-notebook)..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jupyter-notebook >/dev/null
    has jupyter-notebook && jupyter=jupyter-notebook
  fi
  if [ -z "$jupyter" ]; then
    say "Jupyter is not installed. Install JupyterLab or Jupyter Notebook, for example one of:"
    say "  sudo apt-get install jupyter-notebook      (Debian/Ubuntu)"
    say "  pipx install jupyterlab                    (or: python3 -m pip install --user jupyterlab)"
    say "  brew install jupyterlab                    (macOS)"
    die "then run this again."
  fi

  # Our own kernelspec, named as in the notebooks' metadata, pointing at this checkout's tslab with this Node.
  # JUPYTER_PATH comes first in Jupyter's search, so a tslab registered globally (maybe another version) is not used.
  local jupyter_dir="$ROOT/examples/.cache/jupyter"
  mkdir -p "$jupyter_dir/kernels/tslab"
  (cd "$ROOT/examples" && node -e '
    const { dirname, join } = require("node:path");
    const tslab = join(dirname(require.resolve("tslab/package.json", { paths: [process.cwd()] })), "bin", "tslab");
    const spec = { argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript (tslab)", language: "typescript" };
    require("node:fs").writeFileSync(process.argv[1], JSON.stringify(spec, null, 1) + "\n");
  ' "$jupyter_dir/kernels/tslab/kernel.json") || die "tslab is not installed in examples/node_modules: run pnpm install in $ROOT."
  export JUPYTER_PATH="$jupyter_dir${JUPYTER_PATH:+:$JUPYTER_PATH}"

  if [ "$test_model" = 1 ]; then
    use_test_model
  elif [ -z "${CROSSRANK_MODEL:-}" ] && ! hub_reachable; then
    offline_note
    local answer=''
    if [ -t 0 ]; then read -r -p "Open them with a generated model instead (random weights: scores mean nothing)? [y/N] " answer; fi
    case "$answer" in
      y|Y|yes) use_test_model ;;
      *) say "  Opening them with $HUB_MODEL anyway; \`bash examples/notebooks/notebooks.sh open --test-model\` uses a generated model." ;;
    esac
  fi

  say "starting $jupyter in examples/notebooks (the kernel is \"TypeScript (tslab)\"; Ctrl-C stops it)."
  local root_flag=()
  # Jupyter refuses to start as root without it (containers often run as root).
  [ "$(id -u)" = 0 ] && root_flag=(--allow-root)
  cd "$HERE"
  exec "$jupyter" --notebook-dir="$HERE" ${root_flag[@]+"${root_flag[@]}"} "$@"
}

run_notebooks() {
  local args=() arg
  for arg in "$@"; do
    case "$arg" in
      -h|--help) usage ;;
      -*) args+=("$arg") ;;
      # The runner starts in examples/: name notebooks by absolute path, as the caller meant them.
      *) [ -f "$arg" ] || die "no notebook $arg (from $(pwd))."; args+=("$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")") ;;
    esac
  done
  setup_workspace
  bash "$ROOT/.ci/notebooks.sh"
  local test_model=0
  for arg in ${args[@]+"${args[@]}"}; do [ "$arg" = --test-model ] && test_model=1; done
  if [ "$test_model" = 0 ] && [ -z "${CROSSRANK_MODEL:-}" ] && ! hub_reachable; then
    offline_note
    say "  Add --test-model to run them with a generated model (random weights: scores mean nothing)."
  fi
  cd "$ROOT"
  exec pnpm --filter @crossrank/examples notebooks -- ${args[@]+"${args[@]}"}
}

case "${1:-}" in
  open) shift; open_notebooks "$@" ;;
  run) shift; run_notebooks "$@" ;;
  *) usage ;;
esac
