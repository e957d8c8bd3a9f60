"""million.py: one million concurrent asyncio tasks, each sleeping 1 s (bench/million's rows).

One object on stdout: {"engine": ..., "tasks": N, "wall_seconds": ..., "peak_rss_bytes": ...,
"baseline_rss_bytes": ..., "bytes_per_task": ...}. A task here is a Task object, its
coroutine object and the coroutine's frame, all on the heap: about 1 KB each.
"""

import argparse
import asyncio
import time

import anchor


async def sleeper(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def all_sleepers(tasks: int, seconds: float) -> None:
    await asyncio.gather(*(sleeper(seconds) for _ in range(tasks)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--sleep", type=float, default=1.0, help="seconds each task sleeps")
    anchor.add_loop_argument(parser)
    args = parser.parse_args()

    baseline = anchor.current_rss_bytes()
    start = time.perf_counter()
    anchor.run(all_sleepers(args.tasks, args.sleep), args.loop)
    wall = time.perf_counter() - start
    peak = anchor.peak_rss_bytes()
    anchor.print_json({"engine": anchor.engine_name(args.loop), "tasks": args.tasks,
                       "wall_seconds": wall, "peak_rss_bytes": peak,
                       "baseline_rss_bytes": baseline,
                       "bytes_per_task": (peak - baseline) / args.tasks})


if __name__ == "__main__":
    main()
