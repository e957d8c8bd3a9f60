#!/usr/bin/env bash
# scripts/exercise.sh: builds your work on one classroom exercise and runs its check.
#
#   bash scripts/exercise.sh --list                 the exercises (docs/exercises/README.md)
#   bash scripts/exercise.sh 07-semaphore           build exercises/07-semaphore, run its check
#   bash scripts/exercise.sh 07                     the same: the number is enough
#   bash scripts/exercise.sh 07 -tc='*FIFO*'        more arguments go to the check (doctest's)
#   bash scripts/exercise.sh --preset asan 07       another preset of CMakePresets.json (the
#                                                   default, exercises: warnings are not errors)
#   bash scripts/exercise.sh --build-dir DIR 07     a build directory already configured
#   bash scripts/exercise.sh --solution 07          the reference solution instead (spoiler)
# The last line printed is PASS or FAIL; the exit code is 0 for PASS, 1 for FAIL, 2 for a
# bad command line.
#
# For teachers (docs/exercises/README.md, "For teachers: hand-out and grading"):
#   bash scripts/exercise.sh handout DIR            a student copy in DIR (new or empty): the
#                                                   committed files without the solutions
#                                                   (nor the quizzes' answer keys), a git
#                                                   repository of its own
#   bash scripts/exercise.sh grade DIR...           builds each copy's exercises/ against this
#                                                   checkout's checks (in DIR/build/grade) and
#                                                   prints: student, exercise, passed or
#                                                   failed, the first failing check
#   bash scripts/exercise.sh grade --json DIR...    the same as a JSON array, for a grade book
#   bash scripts/exercise.sh grade --only 01,07 DIR...   some exercises only
# grade exits 0 when it graded (failed exercises included), 1 when a DIR is not a copy of
# this repository, 2 for a bad command line.
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  sed -n '2,28s/^# \{0,1\}//p' "$0"
}
bad_usage() {
  say "exercise.sh: $*"
  usage >&2
  exit 2
}

# "Exercise 07 (stage 4): a Semaphore ...", the first line of the exercise's page.
exercise_title() {
  local page=$root/docs/exercises/$1.md
  [ -f "$page" ] && sed -n '1s/^# *//p' "$page"
}

list() {
  local name
  for name in $(exercise_names); do
    printf '%-26s %s\n' "$name" "$(exercise_title "$name")"
  done
  printf '\nCheck one with: bash scripts/exercise.sh <name>   (docs/exercises/README.md)\n'
}

# The exercise that NAME means: its full name, its number, or a unique part of its name.
resolve() {
  local wanted=$1 name found=""
  for name in $(exercise_names); do
    if [ "$name" = "$wanted" ]; then
      printf '%s\n' "$name"
      return 0
    fi
    case $name in
      "$wanted"-* | *"$wanted"*) found+=" $name" ;;
    esac
  done
  found=${found# }
  case $found in
    "") bad_usage "no exercise '$wanted' (try --list)" ;;
    *" "*) bad_usage "'$wanted' could be any of: $found" ;;
    *) printf '%s\n' "$found" ;;
  esac
}

case ${1:-} in  # the teacher's commands: scripts/classroom.sh
  handout | grade) exec bash "$root/scripts/classroom.sh" "$@" ;;
esac

preset=exercises
build_dir=""
variant=starter
wanted=""
check_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --list) list && exit 0 ;;
    --solution) variant=solution ;;
    --preset) preset=${2:?--preset needs a name} && shift ;;
    --build-dir) build_dir=${2:?--build-dir needs a directory} && shift ;;
    -h | --help) usage && exit 0 ;;
    -*) if [ -n "$wanted" ]; then check_args+=("$1"); else bad_usage "unknown option '$1'"; fi ;;
    *) if [ -z "$wanted" ]; then wanted=$1; else check_args+=("$1"); fi ;;
  esac
  shift
done
[ -n "$wanted" ] || bad_usage "which exercise? (try --list)"
name=$(resolve "$wanted")
if [ "$variant" = solution ] && [ ! -d "$root/docs/exercises/solutions/$name" ]; then
  bad_usage "this copy has no reference solutions (a hand-out: your teacher has them)"
fi
target=exercise_${name//-/_}_$variant
what="exercise $name"
[ "$variant" = solution ] && what="the reference solution of exercise $name"

fail() {
  printf 'FAIL: %s: %s\n' "$what" "$*"
  exit 1
}

say "== building $what ($target)"
if [ -n "$build_dir" ]; then
  [ -f "$build_dir/CMakeCache.txt" ] || bad_usage "--build-dir $build_dir is not a configured build"
  cmake --build "$build_dir" --target "$target" || fail "it does not build (the errors are above)"
else
  build_dir=$root/build/$preset  # CMakePresets.json: binaryDir is build/<preset>
  setup_and_build "$preset" 0 "$target" || fail "it does not build (the errors are above)"
fi

say "== checking $what"
if "$build_dir/tests/exercises/$target" ${check_args[@]+"${check_args[@]}"}; then
  printf 'PASS: %s: every check passed\n' "$what"
else
  fail "see the failed checks above; docs/exercises/$name.md has hints"
fi
