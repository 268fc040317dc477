#!/bin/sh
# Usage: ensure-venv.sh PYTHON ENV START_OVER [TRACK]
# Make ENV a working environment with pip of a Python the track runs on, as `make install`
# needs it: create a virtualenv with PYTHON when ENV is missing, recreate it when an interrupted
# creation left it without pip, and stop with advice (START_OVER, the make command that removes
# it) when it holds another Python. A conda environment (conda-meta/) is never recreated.
# TRACK is mxnet (the default: MXNet 1.9.1 runs on Python 3.11 only) or pytorch (3.11 to 3.13).
set -eu
python=$1
env=$2
start_over=$3
track=${4:-mxnet}

case $track in
  mxnet) oldest=11 newest=11 needs="MXNet 1.9.1 needs Python 3.11" ;;
  pytorch) oldest=11 newest=13 needs="the PyTorch track needs Python 3.11 to 3.13" ;;
  *) echo "error: unknown track '$track': mxnet or pytorch"; exit 2 ;;
esac

is_supported_python() {
  "$1" -c "import sys; sys.exit(not (3, $oldest) <= sys.version_info[:2] <= (3, $newest))" 2>/dev/null
}

if [ -x "$env/bin/python" ]; then
  ours=yes
  [ -f "$env/pyvenv.cfg" ] && [ ! -d "$env/conda-meta" ] || ours=no
  if ! is_supported_python "$env/bin/python"; then
    found=$("$env/bin/python" -c 'import sys; print("Python %d.%d" % sys.version_info[:2])' 2>/dev/null) \
      || found="a Python that does not start"
    echo "error: $env holds $found, but $needs."
    if [ "$ours" = yes ]; then
      echo "  Start over with '$start_over' (data/ and slides/node_modules stay)."
    elif [ "$track" = mxnet ]; then
      echo "  Use a Python 3.11 environment: 'conda env create -f environment.yml'."
    fi
    exit 1
  fi
  "$env/bin/python" -m pip --version >/dev/null 2>&1 && exit 0
  if [ "$ours" = no ]; then
    echo "error: $env has no pip: run '$env/bin/python -m ensurepip', then rerun."
    exit 1
  fi
  echo "$env has no pip (its creation was interrupted): creating it again."
fi

if ! command -v "$python" >/dev/null 2>&1 || ! is_supported_python "$python"; then
  echo "error: $needs, and '$python' is missing or another version."
  if [ "$track" = pytorch ]; then
    echo "  Install one (e.g. 'sudo apt-get install python3.11-venv' or pyenv) and rerun, naming"
    echo "  it if it is not python3.11: 'make install TRACK=pytorch PYTHON=python3.13'."
    exit 1
  fi
  echo "  Install Python 3.11 (e.g. 'sudo apt-get install python3.11-venv' or pyenv) and rerun,"
  echo "  or use conda: 'conda env create -f environment.yml && conda activate d2l-in-1-day'"
  echo "  then 'make install VENV=\$CONDA_PREFIX'."
  exit 1
fi
"$python" -m venv --clear "$env"
