#!/usr/bin/env bash
# libFuzzer targets (fuzz/): Debian's clang, -fsanitize=fuzzer,address,undefined,
# built in their own folder ($EQLAB_FUZZ_BUILD_DIR, default build-fuzz/) with
# the core libraries only (no libtorch, no GUI).
#
#   scripts/fuzz.sh --list                       the targets
#   scripts/fuzz.sh TARGET SECONDS [OPTION...]   builds if needed and fuzzes TARGET for SECONDS
#                                                (libFuzzer OPTIONs such as -jobs=2 pass through)
#   scripts/fuzz.sh --smoke [SECONDS]            every target for SECONDS each (default 3): CTest's
#                                                fuzz-smoke; exits 77 (skipped) where clang has no libFuzzer
#   scripts/fuzz.sh --merge TARGET               minimises fuzz/corpus/TARGET with what runs found
#                                                (-merge=1; regression-* inputs, of fixed findings, stay)
#
# Seeds: fuzz/corpus/TARGET (committed, read only). What a run finds goes to
# BUILD/corpus/TARGET, crashes to BUILD/artifacts/. A finding exits non-zero
# with libFuzzer's report; reproduce it with BUILD/fuzz/fuzz_TARGET FILE.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EQLAB_FUZZ_BUILD_DIR:-$root/build-fuzz}
# Every run: a slow input (over 30 s: CI machines are shared) and one over 2 GB are findings too; the
# final statistics give the executions the README reports.
common=(-timeout=30 -rss_limit_mb=2048 -print_final_stats=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

targets() {
  local f name
  for f in "$root"/fuzz/*.cpp; do
    name=$(basename "$f" .cpp)
    [ "$name" = fuzz_support ] || echo "$name"
  done
}

has_libfuzzer() {
  command -v clang++ >/dev/null || return 1
  local probe
  probe=$(mktemp -d)
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' >"$probe/p.cpp"
  local ok=0
  clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1 || ok=1
  rm -rf "$probe"
  return $ok
}

build_targets() {
  if [ ! -f "$build/CMakeCache.txt" ]; then
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" -DEQLAB_FUZZ=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  local names=() name
  for name in $(targets); do names+=("fuzz_$name"); done
  cmake --build "$build" --parallel "$(nproc)" --target "${names[@]}" >/dev/null
}

check_target() {
  local known
  for known in $(targets); do [ "$known" = "$1" ] && return 0; done
  echo "fuzz.sh: no target '$1' (scripts/fuzz.sh --list)" >&2
  exit 2
}

# run TARGET SECONDS NEW_CORPUS [OPTION...]
run() {
  local t=$1 seconds=$2 found=$3
  shift 3
  mkdir -p "$found" "$build/artifacts"
  "$build/fuzz/fuzz_$t" "${common[@]}" -max_total_time="$seconds" -artifact_prefix="$build/artifacts/$t-" \
    "$@" "$found" "$root/fuzz/corpus/$t"
}

case "${1:-}" in
  --list)
    targets
    ;;
  --smoke)
    seconds=${2:-3}
    if ! has_libfuzzer; then
      echo "fuzz-smoke: skipped: no clang++ with libFuzzer (-fsanitize=fuzzer); install clang (scripts/setup.sh)"
      exit 77
    fi
    build_targets
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    for t in $(targets); do
      echo "== fuzz $t (${seconds} s)"
      run "$t" "$seconds" "$scratch/$t" -seed=1 2>"$scratch/$t.log" || { cat "$scratch/$t.log"; exit 1; }
      grep -E "stat::number_of_executed_units" "$scratch/$t.log" || true
    done
    ;;
  --merge)
    check_target "${2:?usage: scripts/fuzz.sh --merge TARGET}"
    t=$2
    build_targets
    merged=$(mktemp -d)
    mkdir -p "$build/corpus/$t"
    "$build/fuzz/fuzz_$t" -merge=1 "${common[@]}" "$merged" "$root/fuzz/corpus/$t" "$build/corpus/$t"
    # Inputs of fixed findings stay whatever their coverage.
    find "$root/fuzz/corpus/$t" -name 'regression-*' -exec cp {} "$merged/" \;
    rm -rf "$root/fuzz/corpus/$t"
    mv "$merged" "$root/fuzz/corpus/$t"
    chmod 755 "$root/fuzz/corpus/$t"
    ;;
  "" | -h | --help)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    t=$1
    check_target "$t"
    seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [OPTION...]}
    shift 2
    build_targets
    run "$t" "$seconds" "$build/corpus/$t" "$@"
    ;;
esac
