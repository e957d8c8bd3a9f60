#!/usr/bin/env bash
# scripts/valgrind.sh: valgrind memcheck on slow_server and on the stage 3 and stage 4
# clients, a short run each, the happy path and every --fault (docs/reliability.md).
#
#   bash scripts/valgrind.sh                     stage3_generators and stage4_coroutines
#   bash scripts/valgrind.sh stage1_callbacks    other clients instead (any client binary)
#   bash scripts/valgrind.sh --build-dir DIR     use (and update) another Debug build
# It builds a plain Debug build (no sanitizers: valgrind and ASan do not mix) in
# build/valgrind, then for each mode (none, close-early, reset, stall, trickle; faults on
# every 2nd connection) starts slow_server under memcheck, runs each client under memcheck
# against it (--requests 6), and stops the server with SIGTERM. Passes when every run has
# 0 errors, 0 bytes definitely lost, and the exit code the mode calls for. Logs:
# build/valgrind/logs/.
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

clients=()
build="$root/build/valgrind"
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir)
      [ $# -ge 2 ] || die "--build-dir needs a directory"
      build=$(cd "$2" 2>/dev/null && pwd) || build=$2
      shift
      ;;
    -h | --help) sed -n '2,12s/^# \{0,1\}//p' "$0" && exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) clients+=("$1") ;;
  esac
  shift
done
[ ${#clients[@]} -gt 0 ] || clients=(stage3_generators stage4_coroutines)
command -v valgrind >/dev/null 2>&1 || die "valgrind is not installed (apt-get install valgrind)"

logs="$build/logs"
for client in "${clients[@]}"; do
  [ -f "$root/$client/CMakeLists.txt" ] || die "no client '$client' in this tree"
done
say "== valgrind: build slow_server ${clients[*]} (Debug, in $build)"
if cxx=$(find_cxx); then export CXX="$cxx"; fi
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" --target slow_server "${clients[@]}"
rm -rf "$logs" && mkdir -p "$logs"

memcheck=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite
  --show-leak-kinds=definite --track-fds=no --error-exitcode=99)
failed=0
printf '%-22s %-12s %5s %7s %16s\n' program mode exit errors "definitely lost" >"$logs/summary.txt"

# check NAME MODE EXPECTED_EXIT ACTUAL_EXIT LOG: one row of the table, and the verdict.
check() {
  local name=$1 mode=$2 expected=$3 actual=$4 log=$5 errors lost
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -n 1)
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
  errors=${errors:-?} lost=${lost:-0}
  printf '%-22s %-12s %5s %7s %16s\n' "$name" "$mode" "$actual" "$errors" "$lost" >>"$logs/summary.txt"
  if [ "$errors" != 0 ] || [ "$lost" != 0 ] || [ "$actual" != "$expected" ]; then
    say "FAILED: $name ($mode): exit $actual (expected $expected), $errors errors, $lost bytes definitely lost; see $log"
    failed=1
  fi
}

for mode in none close-early reset stall trickle; do
  say "== valgrind: --fault $mode"
  out="$logs/slow_server.$mode.out"
  "${memcheck[@]}" --log-file="$logs/slow_server.$mode.log" "$build/slow_server/slow_server" \
    --port 0 --delay 0.2 --fault "$mode" --fault-every 2 >"$out" 2>"$logs/slow_server.$mode.err" &
  server=$!
  port=""
  for _ in $(seq 300); do  # valgrind starts slowly: up to 30 s
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || die "slow_server under valgrind did not start (see $logs/slow_server.$mode.log)"

  expected=1  # 3 of 6 requests fail...
  [ "$mode" = none ] || [ "$mode" = trickle ] && expected=0  # ...unless nothing does
  for client in "${clients[@]}"; do
    status=0
    "${memcheck[@]}" --log-file="$logs/$client.$mode.log" "$build/$client/$client" \
      --port "$port" --requests 6 --timeout 2 >"$logs/$client.$mode.out" 2>&1 || status=$?
    check "$client" "$mode" "$expected" "$status" "$logs/$client.$mode.log"
  done

  kill -TERM "$server"
  status=0
  wait "$server" || status=$?
  check slow_server "$mode" 0 "$status" "$logs/slow_server.$mode.log"
done

cat "$logs/summary.txt"
[ "$failed" = 0 ] || die "memcheck found problems (logs in $logs)"
say "valgrind.sh: 0 errors, 0 bytes definitely lost in every run"
