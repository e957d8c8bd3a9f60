#!/usr/bin/env bash
# scripts/classroom.sh: the teacher's half of scripts/exercise.sh, which runs it for
# `exercise.sh handout DIR` and `exercise.sh grade [--json] [--only 01,07] DIR...`
# (its usage text says what they do). Exit codes: 0 done (even when students fail: the
# grading worked), 1 a copy that is not a copy of this repository, 2 a bad command line.
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# What a student's copy leaves out: every reference solution and the quizzes' answer keys.
withheld=(docs/exercises/solutions docs/teaching/quizzes/answers)

bad_usage() {
  say "exercise.sh: $*"
  say "(bash scripts/exercise.sh --help)"
  exit 2
}

# ---- handout DIR ---------------------------------------------------------------------

# unlink_withheld DIR: a Markdown link into a withheld path would point at nothing in the
# copy (and fail its docs test): it becomes its text. A link is withheld when its target
# exists in this checkout and not in the copy.
unlink_withheld() {
  local copy=$1 page rel link target escaped
  while IFS= read -r page; do
    rel=${page#"$copy"/}
    grep -o '\]([^) ]*)' "$page" | sort -u | while IFS= read -r link; do
      target=${link#](} target=${target%)} target=${target%%#*}
      [ -n "$target" ] || continue
      case $target in http*:* | mailto:*) continue ;; esac
      if [ -e "$root/$(dirname "$rel")/$target" ] && [ ! -e "$(dirname "$page")/$target" ]; then
        escaped=$(printf '%s' "${link#]}" | sed 's/[][\.*^$/]/\\&/g')
        sed -i.bak "s/\[\([^]]*\)\]$escaped/\1/g" "$page" && rm -f "$page.bak"
      fi
    done
  done < <(find "$copy" -name '*.md' -type f)
}

handout() {
  [ $# -eq 1 ] || bad_usage "handout takes one directory"
  local copy=$1 commit pathspecs=() path files
  if [ -e "$copy" ] && [ -n "$(ls -A "$copy" 2>/dev/null)" ]; then
    bad_usage "$copy exists and is not empty: a hand-out goes into a new directory"
  fi
  git -C "$root" rev-parse --verify -q HEAD >/dev/null ||
    die "a hand-out is made from a git checkout ($root is not one)"
  for path in "${withheld[@]}"; do pathspecs+=(":(exclude)$path"); done
  mkdir -p "$copy"
  copy=$(cd "$copy" && pwd)
  commit=$(git -C "$root" rev-parse --short HEAD)
  # The committed files only (build directories and local edits never leak).
  git -C "$root" archive --format=tar HEAD -- . "${pathspecs[@]}" | tar -xf - -C "$copy"
  [ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] ||
    say "note: this checkout has uncommitted changes; the hand-out has commit $commit without them"
  unlink_withheld "$copy"
  # Say so where a student looks for the solutions.
  # shellcheck disable=SC2016  # the backquotes are Markdown's
  sed -i.bak '1a\
\
> **A student copy** (`bash scripts/exercise.sh handout`): the reference solutions are not\
> in it, your teacher has them. Check your own work with the commands below.' \
    "$copy/docs/exercises/README.md" && rm -f "$copy/docs/exercises/README.md.bak"
  for path in "${withheld[@]}"; do
    [ ! -e "$copy/$path" ] || die "$path is still in the hand-out"
  done
  # A repository of its own, one commit, no history (the history has the solutions): a
  # student starts an exercise over with `git checkout -- exercises/NN-name`.
  if git -C "$copy" init -q && git -C "$copy" add -A &&
    git -C "$copy" -c user.name=exercise.sh -c user.email=exercise.sh@localhost \
      commit -q -m "Hand-out of commit $commit, without the solutions"; then :; else
    say "note: no git repository in $copy (git init or commit failed)"
  fi
  files=$(git -C "$copy" ls-files 2>/dev/null | wc -l | tr -d ' ')
  printf 'handout: wrote %s (%s files, commit %s) without %s\n' "$copy" "$files" "$commit" \
    "${withheld[*]}"
  printf 'exercises: %s\n' "$(exercise_names | tr '\n' ' ')"
  printf 'next: give each student a copy of %s (cd into it: bash scripts/exercise.sh --list);\n' \
    "$copy"
  printf '      then grade them all: bash scripts/exercise.sh grade COPY...\n'
}

# ---- grade [--json] [--only LIST] DIR... ----------------------------------------------

# shorten TEXT: one line of at most 110 characters for a table cell.
shorten() {
  local text
  text=$(printf '%s' "$1" | tr -d '\r' | tr '\t\n' '  ' | tr -s ' ')
  text=${text# }
  [ ${#text} -le 110 ] || text="${text:0:107}..."
  printf '%s' "$text"
}

# first_error LOG: the compiler's first error, its path cut to the file name.
first_error() {
  local line
  line=$(grep -m 1 -E 'error:|Error' "$1" || tail -n 1 "$1")
  shorten "$(printf '%s' "$line" | sed -E 's#^[^ :]*/([^/ :]+:)#\1#')"
}

# first_failure LOG RC: doctest's first failing test case and its first failed assertion.
first_failure() {
  local test_case assertion
  test_case=$(sed -n 's/^TEST CASE: *//p' "$1" | head -n 1)
  assertion=$(grep -m 1 -E '(^|: )(FATAL )?ERROR: ' "$1" | sed -E 's/^.*ERROR: //')
  if [ "$2" = 124 ]; then
    assertion="timed out after $check_timeout s${assertion:+ ($assertion)}"
  elif [ -z "$assertion" ]; then
    assertion="exit code $2: $(tail -n 1 "$1")"
  fi
  [ ${#test_case} -le 40 ] || test_case="${test_case:0:37}..."
  shorten "${test_case:+$test_case: }$assertion"
}

# json_string TEXT: TEXT as a JSON string (quotes, backslashes; cells hold no control
# characters, shorten took them out).
json_string() {
  local text=${1//\\/\\\\}
  printf '"%s"' "${text//\"/\\\"}"
}

rows=0
table=""  # the table's rows, printed once every copy is graded (the build's progress is
          # on stderr meanwhile)
# report STUDENT EXERCISE passed|failed DETAIL: one row of the table, or of the JSON array.
report() {
  if [ "$json" = 1 ]; then
    [ "$rows" = 0 ] && printf '[\n' || printf ',\n'
    printf '  {"student": %s, "exercise": %s, "result": "%s", "passed": %s, "first_failure": %s}' \
      "$(json_string "$1")" "$(json_string "$2")" "$3" \
      "$([ "$3" = passed ] && echo true || echo false)" \
      "$([ -n "$4" ] && json_string "$4" || echo null)"
  else
    table+=$(printf '%-16s %-22s %-7s %s' "$1" "$2" "$3" "$4")$'\n'
  fi
  rows=$((rows + 1))
}

# grade_copy DIR: builds DIR's exercises/ against this checkout's checks and stages (the
# `exercises` preset, in DIR/build/grade), runs each check, reports a row for each.
grade_copy() {
  local copy=$1 student build name target log bin rc configured=1 passed=0
  student=$(basename "$copy")
  build=$copy/build/grade
  log=$build/grade.log
  mkdir -p "$build"
  say "== grading $student ($copy)"
  (cd "$root" && cmake --preset exercises -S "$root" -B "$build" \
    -DAIO_EXERCISES_DIR="$copy/exercises" >"$log" 2>&1) || configured=0
  for name in "${exercises[@]}"; do
    target=exercise_${name//-/_}_starter
    bin=$build/tests/exercises/$target
    if [ ! -d "$copy/exercises/$name" ]; then
      report "$student" "$name" failed "missing: exercises/$name is not in the copy"
      continue
    elif [ "$configured" = 0 ]; then
      report "$student" "$name" failed "does not build: CMake: $(first_error "$log")"
      continue
    fi
    say "   $name"
    # A build that fails leaves the binary of an earlier grading: it is never run then.
    if ! cmake --build "$build" --target "$target" -j2 >"$log" 2>&1; then
      report "$student" "$name" failed "does not build: $(first_error "$log")"
      continue
    fi
    rc=0
    (cd "$copy" && $timeout "$bin" >"$log" 2>&1) || rc=$?
    if [ "$rc" = 0 ]; then
      report "$student" "$name" passed ""
      passed=$((passed + 1))
    else
      report "$student" "$name" failed "$(first_failure "$log" "$rc")"
    fi
  done
  say "   $student: $passed of ${#exercises[@]} passed"
}

grade() {
  local copies=() only="" name copy
  json=0
  while [ $# -gt 0 ]; do
    case $1 in
      --json) json=1 ;;
      --only) only=${2:?--only needs a list such as 01,07} && shift ;;
      -*) bad_usage "grade: unknown option '$1'" ;;
      *) copies+=("$1") ;;
    esac
    shift
  done
  [ ${#copies[@]} -gt 0 ] || bad_usage "grade: which student copies? (directories)"
  for copy in "${copies[@]}"; do  # all of them first: no half-graded class
    if [ ! -d "$copy/exercises" ] || [ ! -f "$copy/tests/exercises/CMakeLists.txt" ]; then
      die "$copy is not a copy of this repository (no exercises/ and tests/exercises/)"
    fi
  done
  exercises=()
  for name in $(exercise_names); do  # this checkout's, the teacher's
    case ",$only," in ",," | *",${name%%-*},"* | *",$name,"*) exercises+=("$name") ;; esac
  done
  [ ${#exercises[@]} -gt 0 ] || bad_usage "grade: --only $only names no exercise"
  check_timeout=120
  timeout=""
  ! command -v timeout >/dev/null 2>&1 || timeout="timeout $check_timeout"
  if cxx=$(find_cxx); then export CXX="$cxx"; fi
  for copy in "${copies[@]}"; do
    grade_copy "$(cd "$copy" && pwd)"
  done
  if [ "$json" = 1 ]; then
    printf '\n]\n'
  else
    printf '%-16s %-22s %-7s %s\n' student exercise result 'first failing check'
    printf '%s' "$table"
  fi
}

[ "${BASH_SOURCE[0]}" = "$0" ] || return 0  # sourced (by its test): the functions only
case ${1:-} in
  handout) shift && handout "$@" ;;
  grade) shift && grade "$@" ;;
  *) bad_usage "classroom.sh: handout or grade?" ;;
esac
