# shellcheck shell=bash
# scripts/common.sh: what the scripts (setup.sh, demo.sh, test.sh, exercise.sh...) share.
# Sourced, not run.
# Written for bash 3.2 too (macOS's /bin/bash): no associative arrays, no mapfile.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() {
  say "$(basename "$0"): $*"
  exit 1
}

# exercise_names: the exercises this checkout has, the directories exercises/NN-name
# (exercise.sh and classroom.sh).
exercise_names() {
  local dir
  for dir in "$root"/exercises/[0-9][0-9]-*/; do
    [ -d "$dir" ] && basename "$dir"
  done
}

# version_at_least 3.25.1 3.22: true when the first version is at least the second.
version_at_least() {
  local have_major have_minor want_major want_minor
  IFS=. read -r have_major have_minor _ <<<"$1."
  IFS=. read -r want_major want_minor _ <<<"$2."
  have_minor=${have_minor:-0} want_minor=${want_minor:-0}
  [ "$have_major" -gt "$want_major" ] 2>/dev/null && return 0
  [ "$have_major" -eq "$want_major" ] 2>/dev/null && [ "$have_minor" -ge "$want_minor" ] 2>/dev/null
}

# cxx_ok COMMAND: true when COMMAND is g++ >= 12 or clang++ >= 14 (Apple's included).
cxx_ok() {
  local cxx=$1 about version
  command -v "$cxx" >/dev/null 2>&1 || return 1
  about=$("$cxx" --version 2>/dev/null) || return 1
  case $about in
    *clang*) version=$("$cxx" -dumpversion 2>/dev/null) && version_at_least "$version" 14 ;;
    *) version=$("$cxx" -dumpfullversion -dumpversion 2>/dev/null) &&
      version_at_least "$version" 12 ;;
  esac
}

# Prints the C++20 compiler to build with: $CXX when set (and only it), else the first
# suitable of g++, clang++ and their versioned names. Fails when there is none.
find_cxx() {
  local candidate
  if [ -n "${CXX:-}" ]; then
    cxx_ok "$CXX" && printf '%s\n' "$CXX"
    return
  fi
  for candidate in g++ clang++ g++-14 g++-13 g++-12 clang++-18 clang++-17 clang++-16 \
    clang++-15 clang++-14; do
    if cxx_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# has_libfuzzer: true when clang++ can build a libFuzzer target with the sanitizers the
# fuzz preset uses. A clang++ alone is not enough: where the compiler runtime is a package
# of its own (Debian 12: libclang-rt-14-dev), -fsanitize=fuzzer fails to link without it.
has_libfuzzer() {
  local dir ok=1
  command -v clang++ >/dev/null 2>&1 || return 1
  dir=$(mktemp -d "${TMPDIR:-/tmp}/libfuzzer-probe.XXXXXX") || return 1
  printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
    'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' \
    >"$dir/probe.cpp"
  if clang++ -fsanitize=fuzzer,address,undefined "$dir/probe.cpp" -o "$dir/probe" \
    >/dev/null 2>&1; then
    ok=0
  fi
  rm -rf "$dir"
  return $ok
}

# setup_and_build PRESET 0|1 [TARGET...]: runs scripts/setup.sh (when 1), then configures
# PRESET (CMakePresets.json) and builds the targets named, or everything.
setup_and_build() {
  local preset=$1 run_setup=$2 cxx
  shift 2
  if [ "$run_setup" = 1 ]; then
    bash "$root/scripts/setup.sh" || exit 1
  fi
  # CMake reads CXX once, when the build directory is first configured.
  if cxx=$(find_cxx); then export CXX="$cxx"; fi
  (
    cd "$root" && cmake --preset "$preset" >/dev/null &&
      cmake --build --preset "$preset" ${1+--target "$@"}
  )
}

# start_slow_server SERVER DELAY WORKDIR: starts SERVER --port 0 --delay DELAY in the
# background and waits for its first line, "listening on HOST:PORT". Sets server_pid,
# host and port; the caller stops the server (kill -TERM "$server_pid"). Dies naming the
# server's error when it does not start.
start_slow_server() {
  local server=$1 delay=$2 work=$3 line
  # The file exists before the server does: the first head may run before its redirect.
  : >"$work/server.out"
  "$server" --port 0 --delay "$delay" >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  port=""
  for _ in $(seq 100); do
    line=$(head -n 1 "$work/server.out")
    if [[ $line =~ ^listening\ on\ (.+):([0-9]+)$ ]]; then
      # shellcheck disable=SC2034  # host and port are for the caller
      host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  die "slow_server did not start: $(cat "$work/server.err")"
}

# stop_slow_server: stops the server start_slow_server started, if any (for cleanups).
stop_slow_server() {
  if [ -n "${server_pid:-}" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true  # 143 when the TERM came before its handler
    server_pid=""
  fi
}

# serve_for_this_script SERVER DELAY NAME: a work directory ($work, named after NAME) and
# start_slow_server in it, both gone when the script exits, however it exits (Ctrl-C too).
serve_for_this_script() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$3.XXXXXX")
  server_pid=""
  trap 'stop_slow_server; rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM
  start_slow_server "$1" "$2" "$work"
}
