#!/usr/bin/env bash
# Installs the Debian packages the pipeline needs at run time, and with --test those its tests use.
#
#   ops/install-deps.sh          runtime: GTK 3, which OpenCV's native library (libOpenCvSharpExtern.so) links against
#   ops/install-deps.sh --test   also opencv-doc (sample videos), prometheus (server and promtool) and chromium
#
# Packages already present are skipped, so a second run does nothing. Needs root or sudo, and apt-get.
set -euo pipefail

packages=(libgtk-3-0)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(opencv-doc prometheus chromium)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all of ${packages[*]} are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install ${missing[*]} with your package manager" >&2
  exit 1
fi

run_as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: run as root, or install sudo, to install ${missing[*]}" >&2
    exit 1
  fi
  run_as_root=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${run_as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
