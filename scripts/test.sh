#!/usr/bin/env bash
# scripts/test.sh: installs what is missing, builds, and runs the whole test suite.
#
#   bash scripts/test.sh               what CI runs: dev (Debug, warnings are errors), then
#                                      asan (AddressSanitizer + UBSan), then tsan
#                                      (ThreadSanitizer on the threaded code only), then
#                                      fuzz (each libFuzzer target for 10 s; needs clang++)
#                                      (and, first, scripts/budget.sh: the stages' line budgets)
#   bash scripts/test.sh dev           one preset, or any presets in turn: the quick check
#   bash scripts/test.sh --no-setup    skip the install check
# Exit code 0 when every preset built and passed every test.
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

presets=()
run_setup=1
while [ $# -gt 0 ]; do
  case $1 in
    --no-setup) run_setup=0 ;;
    -h | --help) sed -n '2,12s/^# \{0,1\}//p' "$0" && exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) presets+=("$1") ;;
  esac
  shift
done
[ ${#presets[@]} -gt 0 ] || presets=(dev asan tsan fuzz)

failed=""
took=""  # "dev: build 101 s, tests 67 s; ..." where the time went, printed at the end

# First, in a second: each stage's core, what a student reads, against its line budget.
say "== budget: each stage's core against its line budget"
bash "$root/scripts/budget.sh" || failed+=" budget"
for preset in "${presets[@]}"; do
  started=$SECONDS
  if [ "$preset" = fuzz ]; then  # not a test suite: a short fuzzing run (scripts/fuzz.sh)
    if command -v clang++ >/dev/null 2>&1; then
      bash "$root/scripts/fuzz.sh" 10 || failed+=" fuzz"
      took+="; fuzz: $((SECONDS - started)) s"
    else
      say "== fuzz: skipped, it needs clang++ with libFuzzer (apt-get install clang)"
    fi
    continue
  fi
  say "== $preset: configure and build"
  if ! setup_and_build "$preset" "$run_setup"; then
    failed+=" $preset"
    continue
  fi
  run_setup=0  # once is enough
  built=$SECONDS
  say "== $preset: tests"
  (cd "$root" && ctest --preset "$preset") || failed+=" $preset"
  took+="; $preset: build $((built - started)) s, tests $((SECONDS - built)) s"
done

[ -z "$took" ] || say "test.sh: ${took#; }"
[ -z "$failed" ] || die "failed:$failed"
say "test.sh: all passed (${presets[*]}) in $SECONDS s"
