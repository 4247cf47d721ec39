#!/usr/bin/env bash
# Prints a Markdown table of bytes/token, bits/byte and token-only
# decodability for every method on the prepared corpora (scripts/fetch-corpora.sh).
# ac and eqinfo-ac run under the static unigram here (fast, whole files);
# scripts/m1-report.sh measures them under M1.
# Usage: scripts/compression-table.sh [FILE...]   (default: data/sotu-test.txt data/brown.txt data/moby-dick.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=${EQLAB_CLI:-build/app/eqlab-cli}
U="--model resources/unigram-default.equg"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(data/sotu-test.txt data/brown.txt data/moby-dick.txt)
runs=(
  "-m bytes"
  "-m gzip -k 8" "-m gzip -k 16"
  "-m static-ac -k 8" "-m static-ac -k 16"
  "-m eqinfo-ac -b 16 -k 8 $U" "-m eqinfo-ac -b 16 -k 16 $U"
  "-m eqinfo-ac -b 16 -k 8 --termination shortest $U"
  "-m eqinfo-ac -b 32 -k 8 $U" "-m eqinfo-ac -b 64 -k 8 $U" "-m eqinfo-ac -b 128 -k 8 $U"
  "-m sentencepiece"
)
echo "| file | method | model | bytes/token | bits/byte | token-only decodable | seconds |"
echo "|---|---|---|---|---|---|---|"
for f in "${files[@]}"; do
  for r in "${runs[@]}"; do
    # shellcheck disable=SC2086
    "$CLI" analyze $r --json "$f" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
dec = d["token_only_decodable"]
print("| %s | %s | %s | %.3f | %.3f | %s | %.2f |" % (sys.argv[1].split("/")[-1], d["label"], d["model"],
      d["bytes_per_token"], d["bits_per_byte"], "-" if dec is None else "%.1f%%" % (100 * dec), d["seconds"]))' "$f"
  done
done
