#!/bin/sh
# Install the Debian packages named as arguments with apt-get, quietly, when this runs as root
# on a system that has apt-get. Exits 3 without installing otherwise, so that the caller can say
# what to install by hand. Shared by system-deps.sh and container/deps.sh.
set -eu
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  exit 3
fi
echo "installing: $*"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
