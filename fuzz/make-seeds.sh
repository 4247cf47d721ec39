#!/usr/bin/env bash
# Makes the generated seeds of fuzz/corpus/ with eqlab-cli (run from the
# repository root after a normal build, into an empty fuzz/corpus/). The
# committed corpus is these seeds plus what fuzzing found, minimised with
# scripts/fuzz.sh --merge TARGET.
set -euo pipefail
cli=${EQLAB_CLI:-build/app/eqlab-cli}
out=fuzz/corpus
tiny=tests/data/tiny-m1.eqm1
sep=$'\n#EQLAB-FUZZ-PART#\n'  # fuzz/fuzz_support.h kPartSeparator
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"/{container,m1_weights,unigram,sentencepiece,dataset,run_record,roundtrip}

# Small texts: prose, odd bytes, one repeated byte.
head -c 600 resources/sample.txt >"$work/prose.txt"
printf 'a\0b\xff\x80\xe2\x96\x81 \xf4\x8f\xbc\x80 caf\xc3\xa9 \xe6\x96\x87\n' >"$work/odd.txt"
head -c 200 /dev/zero | tr '\0' 'x' >"$work/same.txt"

# Models: a SentencePiece model with the smallest vocabulary eqlab trains,
# a unigram fitted on the prose, the smallest M1 that validates.
"$cli" train-sp "$work/prose.txt" "$work/sp.model" --vocab 300 >/dev/null
cp "$work/sp.model" "$out/sentencepiece/sp-300.model"
"$cli" fit-unigram "$work/prose.txt" "$out/unigram/prose.equg" >/dev/null
cp resources/unigram-default.equg "$out/unigram/default.equg"
"$cli" train-m1 --corpus resources/sample.txt --valid resources/sample.txt --out "$work/m1.eqm1" --steps 1 \
  --batch 1 --seq 8 --threads 1 --d-model 8 --heads 1 --layers 1 --mlp 8 --context 8 --valid-every 1 \
  --valid-bytes 64 >/dev/null 2>&1
cp "$work/m1.eqm1" "$out/m1_weights/d8.eqm1"

# Containers of every method (M1's the tiny one), and the stored small ones.
for text in prose odd; do
  "$cli" compress -m bytes "$work/$text.txt" "$out/container/$text-bytes.eqlc" 2>/dev/null
  "$cli" compress -m gzip -k 12 "$work/$text.txt" "$out/container/$text-gzip-k12.eqlc" 2>/dev/null
  "$cli" compress -m static-ac "$work/$text.txt" "$out/container/$text-static-ac.eqlc" 2>/dev/null
  "$cli" compress -m ac --model "$tiny" "$work/$text.txt" "$out/container/$text-ac.eqlc" 2>/dev/null
  "$cli" compress -m eqinfo-ac --model "$tiny" "$work/$text.txt" "$out/container/$text-eqinfo-ac.eqlc" 2>/dev/null
  "$cli" compress -m sentencepiece --model "$work/sp.model" "$work/$text.txt" \
    "$out/container/$text-sentencepiece.eqlc" 2>/dev/null
done
"$cli" compress -m eqinfo-ac -b 32 -k 16 --termination shortest --model "$tiny" "$work/prose.txt" \
  "$out/container/prose-eqinfo-ac-b32-k16-shortest.eqlc" 2>/dev/null
for f in v1-bytes v1-gzip v2-ac-tiny-m1 v2-eqinfo-ac-tiny-m1 v2-static-ac-k16; do
  cp "tests/data/$f.eqlc" "$out/container/"
done

# Datasets: bytes, gzip and eqinfo-ac ones, each packed as its three files.
for m in bytes gzip eqinfo-ac; do
  "$cli" build-dataset -m "$m" --model "$tiny" --corpus "$work/prose.txt" --out "$work/ds-$m" \
    --example-bytes 64 --seq 16 --valid-fraction 0.2 >/dev/null 2>&1 ||
    "$cli" build-dataset -m "$m" --corpus "$work/prose.txt" --out "$work/ds-$m" \
      --example-bytes 64 --seq 16 --valid-fraction 0.2 >/dev/null 2>&1
  {
    cat "$work/ds-$m/dataset.json"
    printf '%s' "$sep"
    cat "$work/ds-$m/train.bin"
    printf '%s' "$sep"
    cat "$work/ds-$m/valid.bin"
  } >"$out/dataset/$m"
done

# A run: two steps of a small M2 on the bytes dataset, in a folder named as
# Experiment::newRunDir names them.
run="$work/bytes-20261201-140300"
"$cli" train-m2 --data "$work/ds-bytes" --run "$run" --steps 2 --batch 2 --d-model 32 --layers 1 --threads 1 \
  --eval-every 1 >/dev/null 2>&1
{
  printf 'bytes-20261201-140300'
  printf '%s' "$sep"
  cat "$run/run.json"
} >"$out/run_record/bytes-run"

# Round trips: a header (fuzz/roundtrip.cpp paramsFrom) and a text, each method.
header() { printf "\\x$(printf %02x "$1")\\x$(printf %02x "$2")\\x$(printf %02x "$3")\\x$(printf %02x "$4")\\x$(printf %02x "$5")"; }
i=0
for spec in "0 7 0 0 0" "1 7 0 0 0" "1 11 0 8 35" "2 7 0 0 32" "2 15 0 8 32" "3 7 0 0 32" "3 15 0 136 48" \
  "4 7 1 1 32" "4 15 0 0 32" "4 7 3 3 48" "4 3 2 133 32" "5 0 0 0 0"; do
  for text in prose odd same; do
    { header $spec; head -c 300 "$work/$text.txt"; } >"$out/roundtrip/$i-$text"
  done
  i=$((i + 1))
done
du -sh "$out"/*
