#!/bin/sh
# The container engine with this machine's settings, for `make image`, `make test-image` and the
# Dev Container CLI (--docker-path). Runs $CONTAINER_ENGINE (podman, else docker) and adds:
# - for podman, containers.conf next to this script (ulimits, runc) unless CONTAINERS_CONF is set;
# - on `build`, the host's extra CA certificates (Debian's /usr/local/share/ca-certificates, or
#   $IMAGE_CA_DIR), mounted read-only so that HTTPS through a company proxy works during the build.
#   Only the build stages see them; the final image carries none. Docker cannot mount volumes into
#   a build, so there a proxy's CA has to be trusted by the Docker daemon or Docker Desktop;
# - for podman run as root, drops --userns=keep-id, which the Dev Container CLI passes to podman
#   but podman accepts only rootless (as root, the container's users are the host's anyway).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
engine=${CONTAINER_ENGINE:-}
if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v docker >/dev/null 2>&1; then engine=docker
  else
    echo "no container engine: install podman or docker ('sudo make container-deps' on Debian/Ubuntu)" >&2
    exit 1
  fi
fi
case $(basename "$engine") in
  podman*)
    export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
    ca_dir=${IMAGE_CA_DIR:-/usr/local/share/ca-certificates}
    if [ "${1:-}" = build ] && ls "$ca_dir"/*.crt >/dev/null 2>&1; then
      shift
      exec "$engine" build --volume "$ca_dir:/usr/local/share/ca-certificates:ro" "$@"
    fi
    if [ "${1:-}" = run ] && [ "$(id -u)" -eq 0 ]; then
      for arg; do
        shift
        [ "$arg" = --userns=keep-id ] || set -- "$@" "$arg"
      done
    fi ;;
esac
exec "$engine" "$@"
