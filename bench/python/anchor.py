"""anchor.py: what the Python anchors share (the event loop to run on, memory, output).

The C++ benchmarks in bench/ run these scripts as child processes and print their rows
beside ours, so every figure in a table comes from the same machine in the same run.
Each script prints one JSON object on stdout and nothing else.
"""

import argparse
import asyncio
import json
import resource
import sys

LOOPS = ("asyncio", "uvloop")


def add_loop_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--loop", choices=LOOPS, default="asyncio",
                        help="asyncio's own event loop, or uvloop's (libuv, written in Cython)")


def run(coroutine, loop: str):
    """asyncio.run(coroutine) on the event loop named `loop`."""
    if loop == "asyncio":
        return asyncio.run(coroutine)
    import uvloop  # only imported when asked for: most machines do not have it
    if hasattr(asyncio, "Runner"):  # Python 3.11+
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coroutine)
    uvloop.install()
    return asyncio.run(coroutine)


def current_rss_bytes() -> int:
    """Resident memory now (Linux: /proc/self/statm; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except OSError:
        return peak_rss_bytes()


def peak_rss_bytes() -> int:
    """The most resident memory this process has had (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def engine_name(loop: str) -> str:
    return f"Python {sys.version_info.major}.{sys.version_info.minor} {loop}"


def print_json(value) -> None:
    json.dump(value, sys.stdout)
    sys.stdout.write("\n")
