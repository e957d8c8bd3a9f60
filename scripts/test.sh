#!/usr/bin/env bash
# scripts/test.sh: installs what is missing, builds, and runs the whole test suite.
#
#   bash scripts/test.sh               what CI runs: dev (Debug, warnings are errors), then
#                                      asan (AddressSanitizer + UBSan), then tsan
#                                      (ThreadSanitizer on the threaded code only), then
#                                      fuzz (each libFuzzer target for 10 s; the set-up installs
#                                      clang++ with libFuzzer, and without it this step fails)
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
    -h | --help) sed -n '2,13s/^# \{0,1\}//p' "$0" && exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) presets+=("$1") ;;
  esac
  shift
done
[ ${#presets[@]} -gt 0 ] || presets=(dev asan tsan fuzz)

# Install what is missing, once: with the fuzz step, clang++ with libFuzzer too.
if [ "$run_setup" = 1 ]; then
  case " ${presets[*]} " in
    *" fuzz "*) bash "$root/scripts/setup.sh" --fuzz || exit 1 ;;
    *) bash "$root/scripts/setup.sh" || exit 1 ;;
  esac
fi

failed=""
took=""  # "dev: build 101 s, tests 67 s; ..." where the time went, printed at the end

# First, in a second: each stage's core, what a student reads, against its line budget.
say "== budget: each stage's core against its line budget"
bash "$root/scripts/budget.sh" || failed+=" budget"
for preset in "${presets[@]}"; do
  started=$SECONDS
  if [ "$preset" = fuzz ]; then  # not a test suite: a short fuzzing run (scripts/fuzz.sh)
    # A fuzz step that cannot run fails (fuzz.sh says why): it is never skipped.
    bash "$root/scripts/fuzz.sh" 10 || failed+=" fuzz"
    took+="; fuzz: $((SECONDS - started)) s"
    continue
  fi
  say "== $preset: configure and build"
  if ! setup_and_build "$preset" 0; then
    failed+=" $preset"
    continue
  fi
  built=$SECONDS
  say "== $preset: tests"
  (cd "$root" && ctest --preset "$preset") || failed+=" $preset"
  took+="; $preset: build $((built - started)) s, tests $((SECONDS - built)) s"
done

[ -z "$took" ] || say "test.sh: ${took#; }"
[ -z "$failed" ] || die "failed:$failed"
say "test.sh: all passed (${presets[*]}) in $SECONDS s"
