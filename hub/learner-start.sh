#!/bin/sh
# A learner's server under JupyterHub (hub/jupyterhub_config.py runs this in the course image):
# on the first start, copy the lessons into the learner's home, a volume of their own that keeps
# their work between sessions; then run jupyterhub-singleuser there. A copy cut short is redone.
set -eu
lessons="$HOME/lessons"
if [ ! -d "$lessons" ]; then
  rm -rf "$lessons.partial"
  cp -R /course/notebooks "$lessons.partial"
  mv "$lessons.partial" "$lessons"
fi
cd "$HOME"
exec jupyterhub-singleuser "$@"
