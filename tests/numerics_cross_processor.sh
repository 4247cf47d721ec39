#!/usr/bin/env bash
# M1's numerics are the same bits on every processor: the cross-processor test
# (CTest "numerics_cross_processor").
#
# Builds eqlab-numerics-probe (tests/numerics_probe/) from the standard-C++
# libraries alone (-DEQLAB_STANDARD_ONLY=ON), once per variant, each in its
# own folder under BUILD_ROOT (ccache makes rebuilds cheap):
#   avx512f, avx2, generic  the runtime's kernels compiled for one x86-64
#                           instruction set (-DEQLAB_RUNTIME_ISA=...); a
#                           variant this processor cannot run is skipped
#   generic-softfma         the generic probe with glibc's FMA masked, so
#                           that numerics 2's fmaf runs in software (tiny
#                           model only: it is slow)
#   aarch64                 cross-compiled with aarch64-linux-gnu-g++ (static)
#                           and run under qemu-aarch64; skipped without them
# plus, with --probe PATH, a probe built elsewhere (the main build's, whose
# kernels are all three, chosen at run time: "clones"). Every probe runs on each model (the
# tests' tiny M1 and the bundled one) over tests/data/numerics-probe.txt, and
# its lines (one per numerics version the runtime computes: tensor hash,
# numerics version, output and CDF hashes, rows) must equal the model's pins
# in tests/data/numerics-pins.txt, found by tensor hash and version.
#
# Usage: tests/numerics_cross_processor.sh [--build-root DIR] [--probe PATH] [--print-pins]
#   --print-pins  prints fresh pins (every variant must agree) instead of
#                 checking; to take them:
#                 tests/numerics_cross_processor.sh --print-pins > /tmp/pins && mv /tmp/pins tests/data/numerics-pins.txt
# Exits 0 when every variant that could run matches (the skipped ones are
# named), 1 on a mismatch or a failure, 77 when no variant could run.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
root=${EQLAB_BUILD_DIR:-$src/build}/numerics
extra_probe=""
print_pins=0
while [ $# -gt 0 ]; do
  case $1 in
    --build-root) root=$2; shift 2 ;;
    --probe) extra_probe=$2; shift 2 ;;
    --print-pins) print_pins=1; shift ;;
    *) echo "numerics_cross_processor: unknown argument $1" >&2; exit 1 ;;
  esac
done

pins=$src/tests/data/numerics-pins.txt
text=$src/tests/data/numerics-probe.txt
models=("$src/tests/data/tiny-m1.eqm1" "$src/resources/m1-default.eqm1")
regenerate="tests/numerics_cross_processor.sh --print-pins > /tmp/pins && mv /tmp/pins tests/data/numerics-pins.txt"
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)

log() { echo "numerics_cross_processor: $*" >&2; }

# build VARIANT CMAKE-ARGS...: the probe of that variant, path on stdout.
build() {
  local variant=$1 dir=$root/$1
  shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$dir" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=Release -DEQLAB_STANDARD_ONLY=ON "$@" \
      >"$dir.configure.log" 2>&1 || { log "configuring $variant failed: see $dir.configure.log"; return 1; }
  fi
  cmake --build "$dir" --parallel "$(nproc)" --target eqlab-numerics-probe >"$dir.build.log" 2>&1 ||
    { log "building $variant failed: see $dir.build.log"; return 1; }
  echo "$dir/tests/numerics_probe/eqlab-numerics-probe"
}

mkdir -p "$root"
variants=() runners=() skipped=()
host=$(uname -m)
cpu_has() { grep -qw "$1" /proc/cpuinfo 2>/dev/null; }
if [ "$host" = x86_64 ]; then
  for isa in avx512f avx2 generic; do
    if [ "$isa" != generic ] && ! { cpu_has "$isa" && cpu_has fma; }; then
      skipped+=("$isa (this processor has no ${isa^^} with FMA)")
      continue
    fi
    probe=$(build "$isa" -DEQLAB_RUNTIME_ISA="$isa")
    variants+=("$isa") runners+=("$probe")
  done
  # The plain build's fma is a call to glibc's fmaf, which picks the FMA
  # instruction where there is one; with the instruction masked (a glibc
  # tunable) it computes in software, as on a processor without FMA. That is
  # about 20 times slower: the tiny model only (see runs_on).
  variants+=(generic-softfma) runners+=("env GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-FMA4 $probe")
else
  skipped+=("avx512f avx2 generic (not an x86-64 machine)")
fi
if ! command -v aarch64-linux-gnu-g++ >/dev/null; then
  skipped+=("aarch64 (no aarch64-linux-gnu-g++: Debian package g++-aarch64-linux-gnu, scripts/setup.sh)")
elif ! command -v qemu-aarch64 >/dev/null; then
  skipped+=("aarch64 (no qemu-aarch64: Debian package qemu-user, scripts/setup.sh)")
else
  probe=$(build aarch64 -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
    -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++ -DCMAKE_EXE_LINKER_FLAGS=-static)
  variants+=(aarch64) runners+=("qemu-aarch64 $probe")
fi
if [ -n "$extra_probe" ]; then
  variants+=(clones) runners+=("$extra_probe")
fi
if [ ${#variants[@]} -eq 0 ]; then
  log "skipped: no variant can run here: ${skipped[*]}"
  exit 77
fi

# Every (variant, model) runs at once (the emulated bundled model is the
# slow part; the rest finish beside it): each writes its line to a file.
out=$root/results
rm -rf "$out"
mkdir -p "$out"
# runs_on I M: whether variant I runs on model M (generic-softfma: the tiny one).
runs_on() { [ "${variants[$1]}" != generic-softfma ] || [ "$2" = 0 ]; }
pids=()
for i in "${!variants[@]}"; do
  for m in "${!models[@]}"; do
    runs_on "$i" "$m" || continue
    # shellcheck disable=SC2086  # a runner may be "qemu-aarch64 PATH"
    ${runners[$i]} "${models[$m]}" "$text" >"$out/$i.$m" 2>"$out/$i.$m.err" &
    pids+=($!)
  done
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done

status=0
fresh=()
for m in "${!models[@]}"; do
  name=${models[$m]#"$src"/}
  first=""
  for i in "${!variants[@]}"; do
    runs_on "$i" "$m" || continue
    lines=$(cat "$out/$i.$m")
    if [ -z "$lines" ]; then
      log "FAIL ${variants[$i]} on $name: the probe failed: $(cat "$out/$i.$m.err")"
      status=1
      continue
    fi
    if [ "$print_pins" = 1 ]; then
      if [ -z "$first" ]; then
        first=$lines
      elif [ "$lines" != "$first" ]; then
        log "FAIL ${variants[$i]} on $name differs from ${variants[0]}: $lines against $first"
        status=1
      fi
      continue
    fi
    # One line per numerics version the runtime computes; each has its pin.
    while read -r line; do
      read -r tensors numerics rest <<<"$line"
      pin=$(grep -v '^#' "$pins" | awk -v t="$tensors" -v n="$numerics" '$1 == t && $2 == n { print $1, $2, $3, $4, $5 }')
      if [ -z "$pin" ]; then
        log "FAIL no pin for $name (tensor hash $tensors) under numerics version $numerics: run $regenerate"
        status=1
      elif [ "$pin" != "$line" ]; then
        log "FAIL ${variants[$i]} on $name, numerics $numerics: $line, pinned $pin"
        status=1
      else
        log "ok ${variants[$i]} on $name, numerics $numerics"
      fi
    done <<<"$lines"
  done
  if [ -n "$first" ]; then
    while read -r line; do fresh+=("$line $name"); done <<<"$first"
  fi
done
[ "$failed" = 0 ] || status=1

if [ "$print_pins" = 1 ] && [ "$status" = 0 ]; then
  echo "# M1's numerics pins: what eqlab-numerics-probe prints for each model on every"
  echo "# processor (tests/numerics_cross_processor.sh, the CTest numerics_cross_processor)."
  echo "# Columns: tensor-sha256 numerics-version outputs-sha256 cdfs-sha256 rows model."
  echo "# One line per model and numerics version. Regenerate (when a numerics version or a model changes) with:"
  echo "#   $regenerate"
  echo "# agreed by: ${variants[*]}"
  printf '%s\n' "${fresh[@]}"
fi
for s in "${skipped[@]}"; do log "SKIPPED $s"; done
exit "$status"
