#!/bin/sh
# The GPU check on a bare, offline GPU machine: `make gpu-bundle` copies this script into the
# bundle as run.sh. Run it from the course's checkout, where the bundle travelled with it:
#
#   sh dist/gpu-bundle/run.sh [arguments of python -m gpucheck.run, e.g. one notebook]
#
# It checks every file of the bundle (SHA256SUMS), installs its wheels with pip, offline and
# hash-checked, into a folder put on PYTHONPATH (the machine's python3 may itself be a virtualenv,
# whose packages a new virtualenv would not see), checks that every requirement is met, unpacks
# MNIST where d2l_utils finds it (D2L_DATA_DIR), then runs nbval over notebooks-pytorch on the GPU
# and prints the seconds per notebook. Settings, from the environment:
#   PYTHON         the machine's Python with torch, numpy, matplotlib and pytest (python3)
#   D2L_GPU_SITE   where the wheels are installed, emptied first (/tmp/d2l-gpu-check/site)
#   D2L_DATA_DIR   where MNIST is unpacked (/tmp/d2l-gpu-check/mnist)
#   GPU_ALLOW_CPU  1: run on the CPU where there is no CUDA GPU, to test the check itself
set -eu

BUNDLE=$(cd "$(dirname "$0")" && pwd)
REPO=$(pwd)
PYTHON=${PYTHON:-python3}
WORK=/tmp/d2l-gpu-check
SITE=${D2L_GPU_SITE:-$WORK/site}
export D2L_DATA_DIR="${D2L_DATA_DIR:-$WORK/mnist}"
START=$(date +%s)

step() { echo "[$(($(date +%s) - START)) s] $*"; }
fail() { echo "ERROR: $*" >&2; exit 2; }

[ -d "$REPO/notebooks-pytorch" ] && [ -f "$REPO/gpucheck/run.py" ] ||
  fail "run this from the course's checkout (no notebooks-pytorch/ or gpucheck/ in $REPO)"
command -v "$PYTHON" >/dev/null || fail "no Python '$PYTHON': set PYTHON to the machine's Python with torch"

step "checking the bundle's files ($BUNDLE/SHA256SUMS)"
(cd "$BUNDLE" && sha256sum --quiet --strict -c SHA256SUMS) || fail "the bundle is damaged: run make gpu-bundle again"

step "installing $(wc -l <"$BUNDLE/requirements.txt") wheels offline into $SITE ($("$PYTHON" -V 2>&1))"
rm -rf "$SITE"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$BUNDLE/wheels" \
  --no-deps --no-compile --require-hashes --target "$SITE" -r "$BUNDLE/requirements.txt"
export PYTHONPATH="$SITE:$REPO${PYTHONPATH:+:$PYTHONPATH}"
"$PYTHON" -m gpucheck.installed "$BUNDLE/requirements.txt"

step "unpacking MNIST into $D2L_DATA_DIR"
mkdir -p "$D2L_DATA_DIR"
for gz in "$BUNDLE"/mnist/*.gz; do
  name=$(basename "$gz" .gz)
  gunzip -c "$gz" >"$D2L_DATA_DIR/$name.part" && mv "$D2L_DATA_DIR/$name.part" "$D2L_DATA_DIR/$name"
done
"$PYTHON" -c "from d2l_utils.datasets import load_mnist; load_mnist()"  # checks every file's MD5

step "nbval over the PyTorch track's notebooks"
export PYTHONHASHSEED=0 JUPYTER_RUNTIME_DIR="$WORK/jupyter-runtime" IPYTHONDIR="$WORK/ipython"
allow_cpu=
[ "${GPU_ALLOW_CPU:-0}" = 1 ] && allow_cpu=--allow-cpu
status=0
"$PYTHON" -m gpucheck.run $allow_cpu --times "$WORK/seconds-per-notebook.json" "$@" || status=$?
step "done: exit status $status"
exit $status
