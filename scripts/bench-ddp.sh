#!/usr/bin/env bash
# M2 data-parallel throughput on this machine: one process of T threads
# against T processes of one thread each (a c10d Gloo group on loopback, as
# torchrun starts it), the same model and the same global batch. Each side
# runs REPEATS times alternately; the figure is training tokens per second
# from the run's log (validation excluded), the medians and their ratio.
# Usage: scripts/bench-ddp.sh [T] [STEPS] [REPEATS] [GLOBAL_BATCH]
set -euo pipefail
cd "$(dirname "$0")/.."
ranks=${1:-$(nproc)}
steps=${2:-60}
repeats=${3:-3}
batch=${4:-16}
CLI=${EQLAB_CLI:-build/app/eqlab-cli}
if [ $((batch % ranks)) -ne 0 ]; then echo "bench-ddp: the global batch $batch is not a multiple of $ranks" >&2; exit 2; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$CLI" build-dataset -m bytes --corpus resources/sample.txt --out "$work/ds" --example-bytes 512 --seq 128 \
  --valid-fraction 0.1 >/dev/null 2>&1
common=(train-m2 --data "$work/ds" --minutes 0 --steps "$steps" --eval-every "$steps" --checkpoint-minutes 0
        --d-model 128 --layers 2)
rate() {  # tokens/s of a finished run: tokens_seen / seconds of its last row
  tail -n 1 "$1/log.csv" | awk -F, '{ printf "%.0f", $2 / $4 }'
}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
one=(); many=()
for i in $(seq "$repeats"); do
  "$CLI" "${common[@]}" --run "$work/one-$i" --batch "$batch" --threads "$ranks" >/dev/null 2>&1
  one+=("$(rate "$work/one-$i")")
  p=$(port); pids=()
  for r in $(seq 0 $((ranks - 1))); do
    RANK=$r LOCAL_RANK=$r WORLD_SIZE=$ranks MASTER_ADDR=127.0.0.1 MASTER_PORT=$p \
      "$CLI" "${common[@]}" --run "$work/many-$i" --batch $((batch / ranks)) --threads 1 >/dev/null 2>"$work/err-$r" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$work"/err-*; exit 1; }; done
  many+=("$(rate "$work/many-$i")")
done
python3 - "$ranks" "$batch" "${one[*]}" "${many[*]}" <<'PY'
import statistics, sys
ranks, batch = int(sys.argv[1]), int(sys.argv[2])
one, many = [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
a, b = statistics.median(one), statistics.median(many)
print(f"M2 d=128 heads=4 layers=2 mlp=512, v=256, seq 128, global batch {batch}")
print(f"1 process x {ranks} threads:  {a:.0f} tokens/s (runs: {', '.join(f'{x:.0f}' for x in one)})")
print(f"{ranks} processes x 1 thread: {b:.0f} tokens/s (runs: {', '.join(f'{x:.0f}' for x in many)})")
print(f"ratio data-parallel / threads: {b / a:.2f}")
PY
