#!/usr/bin/env bash
# bench.sh: the one command for docs/05-road-to-a-million.md. Builds the release preset,
# runs the three benchmarks (sleep_table, million, c10k) with Python's asyncio and uvloop
# beside them when python3 is here, writes build/bench/results.json, draws
# build/bench/road-to-a-million.svg and lists every target as met / not met. Before them
# latency (docs/00b-foundations.md's table), after them cpu_bound (docs/cpu-bound-work.md).
# A few minutes on 2 cores; measure on a quiet machine (the tables say if it was busy).
#
#   bash scripts/bench.sh          the full run
#   bash scripts/bench.sh --quick  small parameters, a sanity check in seconds (no targets)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
if [[ "${1:-}" == "--quick" ]]; then quick=true; fi

out=build/bench
bin=build/release/bench
mkdir -p "$out"
rm -f "$out/results.json"

echo "== building the release preset =="
cmake --preset release >/dev/null
cmake --build --preset release --target latency sleep_table million c10k cpu_bound bench_chart

# Python's rows: asyncio on python3, uvloop on whichever interpreter can import it.
# Debian packages uvloop for its own /usr/bin/python3 (python3-uvloop); as root we add it.
python_options=(--no-python)
if command -v python3 >/dev/null; then
  python_options=(--python python3)
  if [[ -x /usr/bin/python3 ]] && ! /usr/bin/python3 -c 'import uvloop' 2>/dev/null &&
     ! python3 -c 'import uvloop' 2>/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing python3-uvloop (Debian) for the uvloop rows =="
    apt-get install -y -q python3-uvloop >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q python3-uvloop >/dev/null 2>&1; } ||
      echo "note: could not install python3-uvloop; the uvloop rows will be left out"
  fi
else
  echo "note: no python3 here; the Python rows are left out"
fi

# strace counts the system calls of stage 4 and stage 5 for c10k's target (Debian: strace);
# without it that target says "not measured: strace missing".
if ! command -v strace >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  apt-get install -y -q strace >/dev/null 2>&1 || echo "note: could not install strace"
fi

if $quick; then
  latency_options=(--batches 5 --scale 0.1)
  cpu_bound_options=(--base 1000000 --runs 1)
  sleep_table_options=(--tasks 2000 --sleep-ms 2 --concurrency 10 100 1000)
  million_options=(--tasks 20000 --sleep-ms 200)
  c10k_options=(--requests 100 1000 --delay 0.2 --selector-requests 100 --selector-large 0)
else
  latency_options=()
  cpu_bound_options=()
  sleep_table_options=()
  million_options=()
  c10k_options=()
fi

started=$SECONDS
{
  "$bin/latency" "${latency_options[@]}" --results "$out/results.json"
  echo
  "$bin/sleep_table" "${sleep_table_options[@]}" "${python_options[@]}" --results "$out/results.json"
  echo
  "$bin/million" "${million_options[@]}" "${python_options[@]}" --results "$out/results.json"
  echo
  "$bin/c10k" "${c10k_options[@]}" "${python_options[@]}" --results "$out/results.json"
  echo
  "$bin/cpu_bound" "${cpu_bound_options[@]}" --results "$out/results.json"
  echo
  "$bin/bench_chart" --results "$out/results.json" --svg "$out/road-to-a-million.svg"
} | tee "$out/tables.txt"
echo "(all in $((SECONDS - started)) s; tables in $out/tables.txt, figures in $out/results.json)"
