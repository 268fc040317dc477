#!/bin/sh
# Install what the container targets need, when missing: podman with runc, netavark and
# iptables (networking, port publishing), and mmdebstrap (builds the base image from Debian's
# archive where no registry is reachable). Installs only as root; otherwise fails naming the fix.
set -eu
missing=""
command -v podman >/dev/null 2>&1 || missing="$missing podman"
command -v runc >/dev/null 2>&1 || missing="$missing runc"
command -v iptables >/dev/null 2>&1 || missing="$missing iptables"
command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
[ -x /usr/lib/podman/netavark ] || missing="$missing netavark aardvark-dns"
[ -z "$missing" ] && exit 0
status=0
sh "$(dirname "$0")/../apt-install.sh" $missing || status=$?
if [ "$status" -eq 3 ]; then
  echo "error: missing system packages for the container targets:$missing" >&2
  echo "  install them with: sudo apt-get install$missing  (or: sudo make container-deps)" >&2
  exit 1
fi
exit "$status"
