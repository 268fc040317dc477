#!/bin/sh
# Make the Dockerfile's base image, debian:bookworm-slim, available to the engine without a
# registry: if the engine lacks it, build it from Debian's archive with mmdebstrap and import it
# under that name. Like Docker's slim image: the minbase variant, without docs, man pages and
# locales, and apt set to keep neither its package caches nor downloaded packages in a layer.
# Needs root (mmdebstrap) and the archive at $DEBIAN_MIRROR.
set -eu
engine=$1
image=${BASE_IMAGE:-debian:bookworm-slim}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
if "$engine" image exists "$image" 2>/dev/null || "$engine" image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image: present"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || {
  echo "base image $image is missing and mmdebstrap is not installed: 'sudo make container-deps'," >&2
  echo "  or pull it from a registry ('$engine pull $image')" >&2
  exit 1
}
tarball=$(mktemp --suffix=.tar)
trap 'rm -f "$tarball"' EXIT
echo "building $image from $mirror with mmdebstrap"
mmdebstrap --quiet --variant=minbase \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook="printf '%s\n' \
    'Dir::Cache::pkgcache \"\";' 'Dir::Cache::srcpkgcache \"\";' 'APT::Keep-Downloaded-Packages \"false\";' \
    'Acquire::Languages \"none\";' 'Acquire::GzipIndexes \"true\";' \
    > \"\$1/etc/apt/apt.conf.d/docker-slim\"" \
  --customize-hook='rm -f "$1"/var/cache/apt/*.bin' \
  bookworm "$tarball" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
"$engine" import --change 'CMD ["bash"]' "$tarball" "$image" >/dev/null
echo "base image $image: imported ($(du -h "$tarball" | cut -f1) tarball)"
