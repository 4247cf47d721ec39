#!/usr/bin/env bash
# Measures the default M1 the way the README reports it: bits/byte of plain
# ac next to gzip -9, bzip2 -9 and xz -9e, and Equal-Info bytes/token, on the
# first BYTES bytes of each held-out text (scripts/fetch-corpora.sh first):
# SOTU 2006-2021, Brown and Moby-Dick (never trained on) and the test splits
# of SpamAssassin and nlp-corpus. MODEL defaults to the bundled M1.
# Usage: scripts/m1-report.sh [BYTES [MODEL]]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=${EQLAB_CLI:-build/app/eqlab-cli}
n=${1:-100000}
model=${2:-resources/m1-default.eqm1}
[ -s "$model" ] || { echo "m1-report: no model at $model" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bpb() { python3 -c "import sys; print('%.3f' % (8 * int(sys.argv[1]) / int(sys.argv[2])))" "$1" "$2"; }
echo "| text (first $n bytes) | M1 ac | gzip -9 | bzip2 -9 | xz -9e |"
echo "|---|---|---|---|---|"
for f in sotu-test brown moby-dick spam-test nlp-test; do
  [ -s "data/$f.txt" ] || { echo "m1-report: data/$f.txt is missing (scripts/fetch-corpora.sh)" >&2; exit 1; }
  head -c "$n" "data/$f.txt" > "$tmp/$f"
  ac=$("$CLI" analyze -m ac --model "$model" --threads "${EQLAB_THREADS:-$(nproc)}" --json "$tmp/$f" 2>/dev/null | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["bits_per_byte"])')
  g=$(gzip -9 -c "$tmp/$f" | wc -c); b=$(bzip2 -9 -c "$tmp/$f" | wc -c); x=$(xz -9e -c "$tmp/$f" | wc -c)
  echo "| $f | $ac | $(bpb "$g" "$n") | $(bpb "$b" "$n") | $(bpb "$x" "$n") |"
done
echo
echo "| eqinfo-ac on sotu-test (first $n bytes) | bytes/token v=256 | bytes/token v=65536 | token-only decodable |"
echo "|---|---|---|---|"
for b in 16 32 64 128; do
  "$CLI" analyze -m eqinfo-ac --model "$model" -b "$b" -k 8 --json "$tmp/sotu-test" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
# k = 16 cuts the same windows into tokens twice as wide: exactly twice the bytes per token.
print("| b=%s | %.3f | %.3f | %.1f%% |" % (sys.argv[1], d["bytes_per_token"], 2 * d["bytes_per_token"], 100 * d["token_only_decodable"]))' "$b"
done
