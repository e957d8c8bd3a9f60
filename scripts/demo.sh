#!/usr/bin/env bash
# scripts/demo.sh: the whole story in one command. Installs what is missing, builds the
# release preset, starts slow_server on a free port, runs every client stage that exists
# against it (10 requests, each answered after 5 s), and prints how long each one took.
#
#   bash scripts/demo.sh                           everything, ~2-3 minutes
#   bash scripts/demo.sh --delay 0.5 --requests 4  faster
#   bash scripts/demo.sh --no-setup                no install, no build: build/release as it is
#   bash scripts/demo.sh --build-dir build/dev     that build's binaries, as they are
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

delay=5
requests=10
run_setup=1
build_dir=""

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "$0"
}
while [ $# -gt 0 ]; do
  case $1 in
    --delay) delay=${2:?--delay needs seconds} && shift ;;
    --requests) requests=${2:?--requests needs a number} && shift ;;
    --no-setup) run_setup=0 ;;
    --build-dir) build_dir=${2:?--build-dir needs a directory} && shift ;;
    -h | --help) usage && exit 0 ;;
    *) say "demo.sh: unknown option '$1'" && usage >&2 && exit 2 ;;
  esac
  shift
done
[[ $delay =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--delay wants seconds, like 5 or 0.2, not '$delay'"
[[ $requests =~ ^[1-9][0-9]*$ ]] || die "--requests wants a positive number, not '$requests'"

if [ -z "$build_dir" ]; then
  build_dir=$root/build/release
  if [ "$run_setup" = 1 ]; then
    # Only the programs: the server and every client stage this checkout has.
    targets=()
    for dir in slow_server stage0_blocking stage1_callbacks stage2_state_machine \
      stage3_generators stage4_coroutines; do
      [ -f "$root/$dir/CMakeLists.txt" ] && targets+=("$dir")
    done
    # Stage 5 is built only where liburing is installed (CMakeLists.txt).
    if pkg-config --exists liburing 2>/dev/null; then targets+=(stage5_io_uring); fi
    setup_and_build release 1 "${targets[@]}"
  fi
fi
build_dir=$(cd "$build_dir" 2>/dev/null && pwd) || die "no build directory '$build_dir'"

# The rows of the table: label|what the client does|binary|its own flags.
rows=(
  "stage0_blocking|blocking, one after another|stage0_blocking|"
  "stage0_blocking --threads|blocking, a thread per request|stage0_blocking|--threads"
  "stage1_callbacks|callbacks on a selector loop|stage1_callbacks|"
  "stage2_state_machine|a state machine class|stage2_state_machine|"
  "stage3_generators|generators + futures + tasks|stage3_generators|"
  "stage4_coroutines|C++20 co_await|stage4_coroutines|"
  "stage4_coroutines --sequential|co_await, one after another|stage4_coroutines|--sequential"
  "stage5_io_uring|co_await on io_uring completions|stage5_io_uring|"
)

work=$(mktemp -d "${TMPDIR:-/tmp}/demo.XXXXXX")
server_pid=""
client_pid=""
# Whatever happens (Ctrl-C included), stop what we started and tidy up.
cleanup() {
  if [ -n "$client_pid" ]; then kill "$client_pid" 2>/dev/null || true; fi
  stop_slow_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Milliseconds on a clock that only goes forward within this run.
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local micro=${EPOCHREALTIME//[.,]/}
    echo $((micro / 1000))
  else
    echo $((SECONDS * 1000))  # bash < 5 (macOS's): whole seconds
  fi
}

# --- the server -----------------------------------------------------------------------
server=$build_dir/slow_server/slow_server
[ -x "$server" ] || die "no $server: build it first (cmake --build --preset release)"
start_slow_server "$server" "$delay" "$work"
say "slow_server listening on $host:$port, answering each request after $delay s"

# --- the clients, one after another ---------------------------------------------------
# The table rows, in Markdown so the README can quote a real run.
table="| stage | how | wall | one after another | result |
|---|---|---:|---:|---|"
all_ok=1
ran=0
timeout=$(awk -v d="$delay" 'BEGIN { print d * 2 + 10 }')  # generous, yet no hang

for row in "${rows[@]}"; do
  IFS='|' read -r label how binary flags <<<"$row"
  client=$build_dir/$binary/$binary
  [ -x "$client" ] || continue
  ran=$((ran + 1))
  echo ""
  echo "== $label: $how"
  out=$work/$binary$flags.out err=$work/$binary$flags.err
  # shellcheck disable=SC2086  # $flags: none or one word
  "$client" --host "$host" --port "$port" --requests "$requests" \
    --timeout "$timeout" $flags >"$out" 2>"$err" &
  client_pid=$!
  started=$(now_ms)
  # While it runs, a live line on a terminal: answers so far and seconds gone.
  while kill -0 "$client_pid" 2>/dev/null; do
    if [ -t 2 ]; then
      answers=$(grep -c '^Response for Request' "$out" || true)
      elapsed=$(($(now_ms) - started))
      printf '\r   %s/%s answers, %d.%d s ' "$answers" "$requests" \
        $((elapsed / 1000)) $((elapsed % 1000 / 100)) >&2
    fi
    sleep 0.5
  done
  status=0
  wait "$client_pid" || status=$?
  client_pid=""
  [ -t 2 ] && printf '\r\033[K' >&2
  # Stage 5 where io_uring is refused (seccomp, a sysctl, an old kernel): its one line says
  # why; the demo goes on without it.
  if [ "$status" = 2 ] && grep -q 'io_uring unavailable: ' "$err"; then
    echo "stage 5 skipped: $(sed -n 's/.*io_uring unavailable: //p' "$err" | head -n 1)"
    continue
  fi
  # Its summary and timeline (the answers themselves are one line each: left out).
  grep -v '^Response for Request' "$out" || true
  head -n 5 "$err" >&2

  summary=$(grep -E '^[0-9]+/[0-9]+ responses in ' "$out" || true)
  pattern='^([0-9]+)/([0-9]+) responses in ([0-9.]+) s \(one after another: ([0-9.]+) s\)'
  if [[ $summary =~ $pattern ]]; then
    ok=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]}
    result="$ok/$total ok"
    [ "$ok" = "$total" ] || result="$result, $((total - ok)) failed"
    table+="
| $label | $how | ${BASH_REMATCH[3]} s | ${BASH_REMATCH[4]} s | $result |"
  else
    table+="
| $label | $how | - | - | did not finish (exit $status) |"
  fi
  [ "$status" = 0 ] || all_ok=0
done

[ "$ran" -gt 0 ] || die "no client binary in $build_dir: build first (drop --no-setup)"
echo ""
echo "$requests requests, each answered $delay s after it arrives:"
echo ""
echo "$table"
[ "$all_ok" = 1 ]
