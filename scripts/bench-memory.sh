#!/usr/bin/env bash
# Peak memory of eqlab-cli compress and decompress (methods/container_stream.h:
# frame by frame, so bounded by a constant whatever the input's length),
# measured with /usr/bin/time -v. Prints a Markdown table: method, input MB,
# peak RSS of each, seconds of each; every round trip is checked with cmp.
# Inputs: data/*.txt (scripts/fetch-corpora.sh; else resources/sample.txt)
# repeated to the size, in $TMPDIR (removed after each run: a 1 GB run needs
# about 4 GB of disk). ac and eqinfo-ac run under $EQLAB_BENCH_M1 (default the
# tiny test M1: the full M1 codes a few KB/s on a CPU).
# Usage: scripts/bench-memory.sh [METHOD:MB ...]
#   default: bytes, gzip and static-ac at 100 and 1024 MB; ac, eqinfo-ac at 1 and 3 MB
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=${EQLAB_CLI:-build/app/eqlab-cli}
M1=${EQLAB_BENCH_M1:-tests/data/tiny-m1.eqm1}
DATA=${EQLAB_DATA:-data}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-memory.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(bytes:100 bytes:1024 gzip:100 gzip:1024 static-ac:100 static-ac:1024 ac:1 ac:3 eqinfo-ac:1 eqinfo-ac:3)
sources=("$DATA"/*.txt)
[ -e "${sources[0]}" ] || sources=(resources/sample.txt)

# $1 = what, rest = command: prints "peak-MB seconds" of one timed run.
timed() {
  local log="$TMP/time.log"
  /usr/bin/time -v "$@" 2>"$log" >/dev/null || { cat "$log" >&2; exit 1; }
  awk '/Maximum resident set size/ {rss = $6} /Elapsed \(wall clock\)/ {n = split($8, t, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + t[i]} END {printf "%.0f %.1f\n", rss / 1024, s}' "$log"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| method | input MB | compress peak RSS MB | decompress peak RSS MB | compress s | decompress s |"
echo "|---|---|---|---|---|---|"
for run in "${runs[@]}"; do
  method=${run%%:*} mb=${run##*:}
  in="$TMP/in.txt"
  : >"$in"
  while [ "$(stat -c %s "$in")" -lt $((mb * 1048576)) ]; do cat "${sources[@]}" >>"$in"; done
  truncate -s $((mb * 1048576)) "$in"
  model=()
  case $method in ac | eqinfo-ac) model=(--model "$M1") ;; esac
  read -r crss csec < <(timed "$CLI" compress -m "$method" "${model[@]}" "$in" "$TMP/c.eqlc")
  read -r drss dsec < <(timed "$CLI" decompress "${model[@]}" "$TMP/c.eqlc" "$TMP/out.txt")
  cmp -s "$in" "$TMP/out.txt" || { echo "bench-memory: $method at $mb MB did not round-trip" >&2; exit 1; }
  rm -f "$in" "$TMP/c.eqlc" "$TMP/out.txt"
  echo "| $method | $mb | $crss | $drss | $csec | $dsec |"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
