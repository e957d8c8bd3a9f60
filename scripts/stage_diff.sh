#!/usr/bin/env bash
# stage_diff.sh: what changed from stage 3 to stage 4, one named excerpt at a time.
#
#   scripts/stage_diff.sh NAME             diff -u of stage 3's excerpt NAME and stage 4's
#   scripts/stage_diff.sh --check FILE.md  every diff FILE.md quotes is still this output
#
# An excerpt is the code between the anchor line `[docs:stage3-<NAME>]` (in a .hpp/.cpp
# directly in stage3_generators/) or `[docs:stage4-<NAME>]` (in stage4_coroutines/, not
# extras/) and the next `[/docs]` line, its common indentation removed: the same text the
# docs test compares with the docs' quotes. NAME prints exit 0 whether the two differ or
# not; a missing anchor is an error (exit 2).
#
# In a document, a quoted diff is the marker line `<!-- stage-diff: NAME -->` followed at
# once by a ```diff fenced block. --check prints each quote that differs from what this
# script prints now (trailing spaces aside), and exits 1 if there is any.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The one file of DIR whose sources hold the anchor ANCHOR, relative to the root.
anchor_file() {
  local dir="$1" anchor="$2"
  local files=()
  mapfile -t files < <(cd "$root" && grep -lF -- "[docs:${anchor}]" "$dir"/*.hpp "$dir"/*.cpp 2>/dev/null || true)
  if ((${#files[@]} == 0)); then
    echo "stage_diff.sh: no anchor '${anchor}' in ${dir}/*.hpp, *.cpp" >&2
    return 2
  fi
  if ((${#files[@]} > 1)); then
    echo "stage_diff.sh: anchor '${anchor}' is in more than one file: ${files[*]}" >&2
    return 2
  fi
  echo "${files[0]}"
}

# The lines between the anchor and the next [/docs], common indentation removed.
excerpt() {
  local file="$1" anchor="$2"
  awk -v open="[docs:${anchor}]" '
    !inside && index($0, open) { inside = 1; next }
    inside && index($0, "[/docs]") { closed = 1; exit }
    inside { line[++n] = $0 }
    END {
      if (!closed) { print "stage_diff.sh: anchor " open " is never closed" > "/dev/stderr"; exit 2 }
      indent = -1
      for (i = 1; i <= n; ++i) {
        if (match(line[i], /[^ ]/) && (indent < 0 || RSTART - 1 < indent)) indent = RSTART - 1
      }
      for (i = 1; i <= n; ++i) print (indent > 0 ? substr(line[i], indent + 1) : line[i])
    }' "$root/$file"
}

# diff -u of the two excerpts NAME, labelled with their files and anchors.
stage_diff() {
  local name="$1" file3 file4
  file3="$(anchor_file stage3_generators "stage3-${name}")" || return 2
  file4="$(anchor_file stage4_coroutines "stage4-${name}")" || return 2
  local old new
  old="$(mktemp)" new="$(mktemp)"
  trap 'rm -f "$old" "$new"' RETURN
  excerpt "$file3" "stage3-${name}" >"$old" || return 2
  excerpt "$file4" "stage4-${name}" >"$new" || return 2
  local status=0
  diff -u --label "${file3} (stage3-${name})" --label "${file4} (stage4-${name})" \
    "$old" "$new" || status=$?
  ((status <= 1)) || return 2  # 1 only says that they differ
}

# Each stage-diff marker of FILE and the fenced diff block after it, checked.
check() {
  local doc="$1"
  [[ -f "$doc" ]] || { echo "stage_diff.sh: no file $doc" >&2; return 2; }
  local -a lines
  mapfile -t lines <"$doc"
  local i=0 found=0 bad=0 name quoted current
  while ((i < ${#lines[@]})); do
    if [[ "${lines[i]}" =~ \<!--\ stage-diff:\ ([A-Za-z0-9_.-]+)\ --\> ]]; then
      name="${BASH_REMATCH[1]}"
      found=$((found + 1))
      if [[ "${lines[i + 1]:-}" != '```diff' ]]; then
        echo "$doc:$((i + 1)): stage-diff '$name' is not followed by a \`\`\`diff block"
        bad=1
        i=$((i + 1))
        continue
      fi
      quoted=""
      local j=$((i + 2))
      while ((j < ${#lines[@]})) && [[ "${lines[j]}" != '```'* ]]; do
        quoted+="${lines[j]}"$'\n'
        j=$((j + 1))
      done
      if ! current="$(stage_diff "$name")"; then
        echo "$doc:$((i + 1)): stage-diff '$name': the script cannot make it (above)"
        bad=1
      elif [[ "$(sed 's/[[:space:]]*$//' <<<"$quoted")" != "$(sed 's/[[:space:]]*$//' <<<"$current")" ]]; then
        echo "$doc:$((i + 1)): stage-diff '$name' differs from \`bash scripts/stage_diff.sh $name\`:"
        diff <(printf '%s' "$quoted" | sed 's/[[:space:]]*$//') \
          <(printf '%s\n' "$current" | sed 's/[[:space:]]*$//') |
          sed 's/^/    /' || true
        bad=1
      fi
      i=$j
    fi
    i=$((i + 1))
  done
  if ((found == 0)); then
    echo "$doc: no stage-diff marker: nothing checked" >&2
    return 1
  fi
  ((bad == 0)) || return 1
  echo "$doc: $found stage diff(s) match the sources"
}

case "${1:-}" in
  --check)
    [[ $# -eq 2 ]] || { echo "usage: $0 --check FILE.md" >&2; exit 2; }
    check "$2"
    ;;
  "" | -h | --help)
    echo "usage: $0 NAME | --check FILE.md  (NAME: make-tcp-request, gather, run-once, ...)" >&2
    exit 2
    ;;
  *)
    [[ $# -eq 1 ]] || { echo "usage: $0 NAME" >&2; exit 2; }
    stage_diff "$1"
    ;;
esac
