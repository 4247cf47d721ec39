#!/usr/bin/env bash
# On a machine with CUDA and a pip PyTorch: builds eqlab-train-m1 against
# PyTorch's bundled libtorch and trains M1 for MINUTES minutes on the default
# mix, data/m1-train.txt, validated on data/m1-valid.txt (all of it; never on
# the bytes the reports code) (scripts/fetch-corpora.sh first). Extra arguments go to the trainer, e.g.
# --augment 0.5. The best validation's weights land in OUT_DIR/m1.eqm1.best.
# Usage: scripts/gpu/train-m1-gpu.sh OUT_DIR MINUTES [trainer args...]
set -euo pipefail
out=$1
minutes=$2
shift 2
cd "$(dirname "$0")/../.."
mkdir -p "$out"
if [ ! -x build-gpu/eqlab-train-m1 ]; then
  prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
  cmake -S scripts/gpu -B build-gpu -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release > "$out/cmake.log" 2>&1
  cmake --build build-gpu --parallel "$(nproc)" > "$out/build.log" 2>&1
fi
build-gpu/eqlab-train-m1 --corpus data/m1-train.txt --valid data/m1-valid.txt --out "$out/m1.eqm1" \
  --device cuda --minutes "$minutes" --steps 1000000 --batch 32 --seq 1024 --lr 1e-3 --seed 1 \
  --valid-every 500 --valid-bytes 1048576 --checkpoint-minutes 2 --keep-best "$@" > "$out/train.log" 2>&1
