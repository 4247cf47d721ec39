#!/usr/bin/env bash
# Builds the core tests with AddressSanitizer + UndefinedBehaviorSanitizer in
# their own build folder and runs them, then M1's worker team (and the
# runtime on it) and the Equal-Info lanes' WindowChains on threads under
# ThreadSanitizer in another. Invoked by CTest (test
# "sanitizers").
set -euo pipefail
src=$1
out=$2
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)
if [ ! -f "$out/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$out" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEQLAB_SANITIZE=ON >/dev/null
fi
# The core tests, the round-trip harness (tst_codec: every method, the tiny
# M1 included, on a 16 KiB text instead of 1 MiB) and M1's runtime with its
# worker team. tst_m1, tst_cli and tst_m1_train_args link libtorch (and
# eqlab-cli): left out, see the README (Hardening: sanitizers and mutations).
tests=(tst_range_coder tst_tokens tst_byte_model tst_equal_info tst_container tst_sentencepiece tst_codec tst_worker_team)
cmake --build "$out" --parallel "$(nproc)" --target "${tests[@]}" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export EQLAB_HARNESS_TEXT_BYTES=16384
for t in "${tests[@]}"; do
  echo "== $t (sanitized)"
  "$out/tests/$t" -silent
done

tsan=$out-thread
if [ ! -f "$tsan/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$tsan" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEQLAB_TSAN=ON >/dev/null
fi
cmake --build "$tsan" --parallel "$(nproc)" --target tst_worker_team tst_window_chains >/dev/null
echo "== tst_worker_team, tst_window_chains (thread-sanitized)"
# Without address-space randomisation where the system allows it: some
# kernels' ASLR leaves no room for ThreadSanitizer's shadow memory.
norandom=()
if setarch "$(uname -m)" -R true 2>/dev/null; then norandom=(setarch "$(uname -m)" -R); fi
for t in tst_worker_team tst_window_chains; do
  TSAN_OPTIONS="halt_on_error=1 suppressions=$src/tests/tsan.supp" "${norandom[@]}" "$tsan/tests/$t" -silent
done
