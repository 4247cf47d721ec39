#!/usr/bin/env bash
# M2 training throughput, eqlab (C++ libtorch) against the identical model,
# batch and optimiser in Python PyTorch (Debian's python3-torch: the same
# libtorch 1.13). Runs each side REPEATS times alternately and reports the
# medians and their ratio. Installs python3-torch when it is missing.
# Usage: scripts/bench-m2.sh [THREADS] [VOCAB] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
vocab=${2:-256}
repeats=${3:-3}
CLI=${EQLAB_CLI:-build/app/eqlab-cli}
PY=/usr/bin/python3
if ! $PY -c 'import torch' 2>/dev/null; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y python3-torch >/dev/null
fi
cpp=(); py=()
for _ in $(seq "$repeats"); do
  cpp+=("$("$CLI" bench-m2 --threads "$threads" --vocab "$vocab" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["tokens_per_s"])')")
  # Python gets the thread setting eqlab applies (setTorchThreads): OpenBLAS's pool sized like libtorch's.
  py+=("$(OPENBLAS_NUM_THREADS=$threads $PY scripts/bench-m2.py --threads "$threads" --vocab "$vocab" | $PY -c 'import json,sys; print(json.load(sys.stdin)["tokens_per_s"])')")
done
$PY - "$threads" "$vocab" "${cpp[*]}" "${py[*]}" <<'PY'
import statistics, sys
threads, vocab, cpp, py = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
c, p = statistics.median(cpp), statistics.median(py)
print(f"M2 d=128 heads=4 layers=2 mlp=512, v={vocab}, batch 16 x 128, {threads} thread(s)")
print(f"eqlab (C++ libtorch): {c:.0f} tokens/s (runs: {', '.join(f'{x:.0f}' for x in cpp)})")
print(f"Python PyTorch:       {p:.0f} tokens/s (runs: {', '.join(f'{x:.0f}' for x in py)})")
print(f"ratio eqlab / Python: {c / p:.2f}")
PY
