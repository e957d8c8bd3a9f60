#!/usr/bin/env bash
# tests/exercises/handout_grade_test.sh: what a teacher relies on, end to end.
#   1. `exercise.sh handout` writes a copy with no solution in it (by path or by content),
#      whose own build has each starter's check as a test that must pass;
#   2. `exercise.sh grade --json` builds that copy's starters, one with an unused variable
#      (the `exercises` preset must not make a warning fatal): a JSON array in which every
#      exercise failed, naming its first failing check;
#   3. with the solutions copied into the copy's exercises/, the table says every exercise
#      passed.
# Arguments go to grade: CTest passes `--only 01,05,07` (one per kind of exercise) to stay
# quick; with none it grades every exercise. Exit 77 (skipped) outside a git checkout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exercise_sh=$root/scripts/exercise.sh
fail() {
  printf 'FAIL: %s\n' "$*"
  exit 1
}
git -C "$root" rev-parse --verify -q HEAD >/dev/null || {
  echo "not a git checkout: no hand-out to test (skipped)"
  exit 77
}
work=$(mktemp -d "${TMPDIR:-/tmp}/handout-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
copy=$work/alice

# The exercises graded: those --only names (as classroom.sh reads it), else every one.
only=""
[ "${1:-}" != --only ] || only=$2
expected=()
for dir in "$root"/exercises/[0-9][0-9]-*/; do
  name=$(basename "$dir")
  case ",$only," in ",," | *",${name%%-*},"*) expected+=("$name") ;; esac
done

echo "== handout"
bash "$exercise_sh" handout "$copy" || fail "handout failed"
bash "$exercise_sh" handout "$copy" 2>/dev/null && fail "handout wrote into a non-empty directory"

# No withheld file is in the copy: not at its path, not copied anywhere else. (A file
# equal to the starter's of the same name gives nothing away: it is skipped.)
(cd "$copy" && find . -path ./.git -prune -o -type f -exec cksum {} +) >"$work/sums"
for path in docs/exercises/solutions docs/teaching/quizzes/answers; do
  [ ! -e "$copy/$path" ] || fail "$path is in the hand-out"
  for file in $(cd "$root" && git ls-files -- "$path"); do
    starter=$root/exercises/${file#docs/exercises/solutions/}
    [ -f "$starter" ] && cmp -s "$root/$file" "$starter" && continue
    sum=$(cksum <"$root/$file" | awk '{print $1, $2}')
    if awk -v sum="$sum" '$1 " " $2 == sum {found = 1} END {exit !found}' "$work/sums"; then
      fail "the hand-out holds $file (same content: $(grep "^$sum " "$work/sums"))"
    fi
  done
done

# The copy's own build: each starter's check is a test that must pass, and no solution.
(cd "$copy" && cmake --preset exercises >"$work/configure.log" 2>&1) ||
  fail "the hand-out does not configure: $(tail -n 5 "$work/configure.log")"
ctest --test-dir "$copy/build/exercises" -N -L exercises 2>/dev/null | grep 'Test *#' >"$work/tests.txt"
for name in "${expected[@]}"; do
  grep -q "exercise $name: the check passes" "$work/tests.txt" ||
    fail "the hand-out's build has no test 'exercise $name: the check passes'"
done
! grep -Eq "solution passes|starting point fails" "$work/tests.txt" ||
  fail "the hand-out's build has a test of a solution"
rm -rf "$copy/build/exercises"

# A half-written starter: an unused variable (a warning) must not stop its build.
for file in "$copy/exercises/${expected[0]}"/*; do
  printf '\nnamespace {\nint unused_by_the_student = 0;\n}\n' >>"$file"
  break
done

echo "== grade the untouched hand-out: every exercise fails (--json)"
bash "$exercise_sh" grade --json "$@" "$copy" >"$work/grades.json" || fail "grade exited $?"
cat "$work/grades.json"
for name in "${expected[@]}"; do
  grep -Fq "{\"student\": \"alice\", \"exercise\": \"$name\", \"result\": \"failed\", \"passed\": false, \"first_failure\": \"" \
    "$work/grades.json" || fail "$name: no failed row with its first failing check in the JSON"
done
! grep -q "does not build" "$work/grades.json" || fail "a starter does not build"
[ "$(grep -c '"student"' "$work/grades.json")" = ${#expected[@]} ] || fail "not one row per exercise"
if [ "$(head -n 1 "$work/grades.json")" != "[" ] || [ "$(tail -n 1 "$work/grades.json")" != "]" ]; then
  fail "the JSON is not an array"
fi
# The failed checks quote C++ ("..."): the escaping shows here.
if command -v python3 >/dev/null 2>&1; then
  python3 -m json.tool "$work/grades.json" >/dev/null || fail "the JSON does not parse"
fi

echo "== grade it with the solutions copied in: every exercise passes"
for name in "${expected[@]}"; do
  cp -R "$root/docs/exercises/solutions/$name/." "$copy/exercises/$name/"
done
bash "$exercise_sh" grade "$@" "$copy" >"$work/table.txt" || fail "grade exited $?"
cat "$work/table.txt"
for name in "${expected[@]}"; do
  grep -Eq "^alice +$name +passed *$" "$work/table.txt" || fail "$name: no 'passed' row"
done
[ "$(($(wc -l <"$work/table.txt") - 1))" = ${#expected[@]} ] || fail "not one row per exercise"

echo "== a starter that does not compile"
first=${expected[0]}
for file in "$copy/exercises/$first"/*; do
  printf '\nthis is not C++\n' >>"$file"
  break
done
bash "$exercise_sh" grade "$@" --only "${first%%-*}" "$copy" >"$work/table.txt" || fail "grade exited $?"
cat "$work/table.txt"
grep -Eq "^alice +$first +failed +does not build: .*error" "$work/table.txt" ||
  fail "$first: no 'does not build' row naming the error"

echo "== grade's JSON strings: quotes and backslashes escaped"
# shellcheck source=scripts/classroom.sh
source "$root/scripts/classroom.sh"
[ "$(json_string 'CHECK( s == "a\b" )')" = '"CHECK( s == \"a\\b\" )"' ] ||
  fail "json_string: $(json_string 'CHECK( s == "a\b" )')"

echo "== grade refuses what is not a copy, and a bad command line"
rc=0 && bash "$exercise_sh" grade "$work" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || fail "grading a directory that is not a copy exited $rc, not 1"
rc=0 && bash "$exercise_sh" grade 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "grade without a directory exited $rc, not 2"
echo "PASS: hand-out and grading"
