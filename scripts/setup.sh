#!/usr/bin/env bash
# Installs what Sanshen needs to build and test on Debian or Ubuntu, and only
# what is missing. On other systems it prints what to install and stops.
set -euo pipefail

# Build: Fyne's desktop driver needs cgo and these headers.
build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
# GUI smoke test: a virtual display, input and screenshots.
gui_pkgs=(xvfb xdotool imagemagick xauth)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--gui" ] || [ "${1:-}" = "--all" ]; then
  want+=("${gui_pkgs[@]}")
fi

if ! command -v go >/dev/null 2>&1; then
  echo "setup: Go 1.26 is required (https://go.dev/dl/); install it and put it on PATH." >&2
  exit 1
fi

. /etc/os-release 2>/dev/null || true
case "${ID:-}:${ID_LIKE:-}" in
  debian:*|ubuntu:*|*:*debian*|*:*ubuntu*) ;;
  *)
    echo "setup: this is not Debian or Ubuntu; install these (or your system's equivalents) and run again:" >&2
    echo "  ${want[*]}" >&2
    exit 1
    ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "setup: not root and no sudo; as root run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
