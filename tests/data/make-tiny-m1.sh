#!/usr/bin/env bash
# Makes tests/data/tiny-m1.eqm1, the small M1 the tests code with (d=32, two
# layers, context 64), by training it on the bundled sample text with
# eqlab's own trainer. Run from the repository root after a build.
set -euo pipefail
build/app/eqlab-cli train-m1 --corpus resources/sample.txt --valid resources/sample.txt \
  --out tests/data/tiny-m1.eqm1 --steps 300 --batch 8 --seq 64 --lr 3e-3 --seed 7 --threads 1 \
  --d-model 32 --heads 2 --layers 2 --mlp 64 --context 64 --valid-every 100 --valid-bytes 8192
rm -f tests/data/tiny-m1.eqm1.ckpt.*
