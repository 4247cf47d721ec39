#!/usr/bin/env bash
# Installs the Debian packages eqlab needs to build, test and run. Idempotent:
# does nothing when everything is present; runs `apt-get update` once before the
# first install on a fresh machine; uses sudo only when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-dev-tools libqcustomplot-dev libgl-dev
  libtorch-dev libgloo-dev libopenblas0-pthread
  libsentencepiece-dev sentencepiece zlib1g-dev
  xvfb xauth clang-format clang libclang-rt-dev
  fonts-noto-color-emoji fonts-wqy-microhei
  bzip2 xz-utils
  g++-aarch64-linux-gnu qemu-user
  python3-torch
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "eqlab setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
