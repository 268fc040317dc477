#!/bin/sh
# Setup cost of the course (`make bench-setup`): clone the repository afresh, then time
# `make install` and `make data` and measure the disk they fill. Needs the network, as a
# first setup does. pip's and npm's caches are used as they are, unless COLD=1 gives both
# an empty cache, as on a machine that never installed the course.
# Usage: [COLD=1] sh bench/setup_cost.sh REPOSITORY CLONE_DIRECTORY
set -eu
repo=$1
clone=$2

rm -rf "$clone"
git clone --quiet "$repo" "$clone"
cd "$clone"
caches="warm (as they are)"
if [ "${COLD:-0}" = 1 ]; then
  export PIP_NO_CACHE_DIR=1 npm_config_cache="$clone/.npm-cache"
  caches="cold (none)"
fi
echo "commit $(git rev-parse --short HEAD), pip and npm caches $caches, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for target in install data; do
  start=$(date +%s)
  make --no-print-directory "$target" >"$target.log" 2>&1 || { cat "$target.log"; exit 1; }
  echo "make $target: $(($(date +%s) - start)) s"
done
echo "disk: .venv $(du -sh .venv | cut -f1), data/ $(du -sh data | cut -f1)"
