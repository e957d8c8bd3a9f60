#!/usr/bin/env bash
# scripts/fuzz.sh: builds the libFuzzer targets (the fuzz preset: clang, ASan + UBSan) and
# runs each for a fixed time, starting from the seed corpus in tests/fuzz/corpus/.
#
#   bash scripts/fuzz.sh                 each target 60 s
#   bash scripts/fuzz.sh 10              each target 10 s (the CI smoke run)
#   bash scripts/fuzz.sh 300 line_framer one target, 5 minutes
# Targets: line_framer (common::LineFramer), server_connection (slow_server fed arbitrary
# bytes over loopback: its request parsing), client_answer (the clients' answer rule,
# common::wrong_answer and RunReport). What each checks: tests/fuzz/checks.hpp. New inputs
# go to build/fuzz/corpus/<target> (the seeds in git stay as they are); a crash leaves its
# input in build/fuzz/artifacts/ and this script exits 1. To replay one input:
#   build/fuzz/tests/fuzz/fuzz_<target> build/fuzz/artifacts/<target>-crash-...
# Add an input worth keeping to tests/fuzz/corpus/<target>/: test_reliability_fuzz_corpus
# then replays it in every build.
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=60
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) sed -n '2,16s/^# \{0,1\}//p' "$0" && exit 0 ;;
    [0-9]*) seconds=$1 ;;
    line_framer | server_connection | client_answer) targets+=("$1") ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(line_framer server_connection client_answer)

has_libfuzzer || die "the fuzz preset needs clang++ with libFuzzer, and none here links a" \
  "fuzz target: bash scripts/setup.sh --fuzz installs it"
build="$root/build/fuzz"
say "== fuzz: configure and build (${targets[*]})"
(
  cd "$root" && cmake --preset fuzz >/dev/null &&
    cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}"
) || die "the fuzz targets do not build (the errors are above)"

# Longest input per target: the framer's buffer compacts only past 4 KiB handed out.
max_len_of() {
  case $1 in
    line_framer) echo 16384 ;;
    client_answer) echo 4097 ;;  # the id byte, then at most the longest line a client reads
    *) echo 8192 ;;
  esac
}

failed=""
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  log="$build/$target.log"
  mkdir -p "$corpus" "$build/artifacts"
  say "== fuzz: $target for $seconds s (log: $log)"
  # -timeout: one input taking 20 s is a hang. The first corpus directory collects new
  # inputs; the second is only read.
  if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=20 \
    -max_len="$(max_len_of "$target")" -dict="$root/tests/fuzz/protocol.dict" \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$corpus" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    failed+=" $target"
    continue
  fi
  final_stat() { sed -n "s/^stat::$1: *//p" "$log"; }
  time_used=$(sed -n 's/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  printf '%s: %s executions in %s s (%s/s), %s, %s new inputs (%s in %s), no crash\n' \
    "$target" "$(final_stat number_of_executed_units)" "$time_used" "$(final_stat average_exec_per_sec)" \
    "$coverage" "$(final_stat new_units_added)" "$(find "$corpus" -type f | wc -l | tr -d ' ')" \
    "build/fuzz/corpus/$target"
done

[ -z "$failed" ] || die "crashed or failed:$failed (inputs in $build/artifacts/)"
say "fuzz.sh: all targets ran $seconds s without a crash"
