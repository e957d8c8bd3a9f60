#!/usr/bin/env bash
# scripts/timeline.sh: makes the README's picture, docs/img/timeline-stage0-vs-stage4.svg,
# from real runs. Builds what it needs in the release preset, starts slow_server on a free
# port, runs stage0_blocking and stage4_coroutines against it with --json (10 requests
# each), and draws both runs on one time axis with bench/timeline_svg.
#
#   bash scripts/timeline.sh                              ~1 minute (stage 0: 10 x 5 s)
#   DELAY=0.2 bash scripts/timeline.sh --output /tmp/t.svg  a quick try, picture elsewhere
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

delay=${DELAY:-5}
output=$root/docs/img/timeline-stage0-vs-stage4.svg

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "$0"
}
while [ $# -gt 0 ]; do
  case $1 in
    --output) output=${2:?--output needs a file} && shift ;;
    -h | --help) usage && exit 0 ;;
    *) say "timeline.sh: unknown option '$1'" && usage >&2 && exit 2 ;;
  esac
  shift
done
[[ $delay =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "DELAY wants seconds, like 5 or 0.2, not '$delay'"

setup_and_build release 0 slow_server stage0_blocking stage4_coroutines timeline_svg
build_dir=$root/build/release

# --- the server: its first line says where it listens ---------------------------------
serve_for_this_script "$build_dir/slow_server/slow_server" "$delay" timeline

# --- the two runs, one after the other, then the picture ------------------------------
timeout=$(awk -v d="$delay" 'BEGIN { print d * 2 + 10 }') # generous, yet no hang
for client in stage0_blocking stage4_coroutines; do
  say "running $client against slow_server on $host:$port (each answer after $delay s)"
  "$build_dir/$client/$client" --host "$host" --port "$port" --timeout "$timeout" --json \
    >"$work/$client.json" || die "$client failed: $(cat "$work/$client.json")"
done
"$build_dir/bench/timeline_svg" \
  --run "stage0_blocking=$work/stage0_blocking.json" \
  --run "stage4_coroutines=$work/stage4_coroutines.json" \
  --title "10 requests, each answered $delay s after it arrives: stage 0 against stage 4" \
  --output "$work/timeline.svg"
mv "$work/timeline.svg" "$output" # whole, or not at all
say "wrote $output"
