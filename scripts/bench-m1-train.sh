#!/usr/bin/env bash
# M1 training throughput, eqlab's trainer (eqlab-train-m1: C++ libtorch)
# against the identical model, batches, loss, optimiser and clock in Python
# PyTorch (scripts/bench-m1-train.py; Debian's python3-torch: the same libtorch
# 1.13), at the paper's size (d 256, 4 heads, 3 layers, MLP 1024). Runs each
# side REPEATS times alternately, so both see the same load, and reports the
# medians of bytes/s and their ratio. Installs python3-torch when it is missing.
# Usage: scripts/bench-m1-train.sh [THREADS] [SEQ] [BATCH] [STEPS] [REPEATS] [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
seq_len=${2:-256}
batch=${3:-16}
steps=${4:-8}
repeats=${5:-3}
corpus=${6:-data/sotu-train.txt}
TRAIN=${EQLAB_TRAIN_M1:-build/app/eqlab-train-m1}
PY=/usr/bin/python3
if ! $PY -c 'import torch' 2>/dev/null; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y python3-torch >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The trainer's own bytes/s over all its steps (its last progress line); it
# validates once, after the clock stops, on one window.
head -c 4096 "$corpus" >"$work/valid.txt"
cpp=(); py=()
for _ in $(seq "$repeats"); do
  cpp+=("$("$TRAIN" --corpus "$corpus" --valid "$work/valid.txt" --out "$work/m1.eqm1" --steps "$steps" \
    --batch "$batch" --seq "$seq_len" --threads "$threads" --valid-every "$((steps + 1))" --valid-bytes 1024 2>&1 |
    sed -n "s|^step $steps/$steps .*  \([0-9]*\) bytes/s .*|\1|p")")
  # Python gets the thread setting eqlab applies (setTorchThreads): OpenBLAS's pool sized like libtorch's.
  py+=("$(OPENBLAS_NUM_THREADS=$threads $PY scripts/bench-m1-train.py --corpus "$corpus" --threads "$threads" \
    --seq "$seq_len" --batch "$batch" --steps "$steps" | $PY -c 'import json,sys; print(json.load(sys.stdin)["bytes_per_s"])')")
done
$PY - "$threads" "$seq_len" "$batch" "$steps" "${cpp[*]}" "${py[*]}" <<'PY'
import statistics, sys
threads, seq, batch, steps = sys.argv[1:5]
cpp, py = [float(x) for x in sys.argv[5].split()], [float(x) for x in sys.argv[6].split()]
c, p = statistics.median(cpp), statistics.median(py)
print(f"M1 d=256 heads=4 layers=3 mlp=1024, batch {batch} x {seq}, {steps} steps, {threads} thread(s)")
print(f"eqlab (C++ libtorch): {c:.0f} bytes/s (runs: {', '.join(f'{x:.0f}' for x in cpp)})")
print(f"Python PyTorch:       {p:.0f} bytes/s (runs: {', '.join(f'{x:.0f}' for x in py)})")
print(f"ratio eqlab / Python: {c / p:.2f}")
PY
