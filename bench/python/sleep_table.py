"""sleep_table.py: the article's experiment in asyncio (the Python rows of bench/sleep_table).

`tasks` sleeps of `sleep_ms` each are done by C concurrent workers (coroutines) that take
numbers from one shared counter. Ideal wall time: tasks / C x sleep. One object on stdout:
{"engine": "Python 3.11 asyncio", "rows": [{"concurrency": 100, "finished": true,
"seconds": 10.4, "reason": null}, ...]}
"""

import argparse
import asyncio
import time

import anchor


class Counter:
    """The shared counter. One thread runs every worker, so no lock is needed."""

    def __init__(self, total: int, deadline: float):
        self.taken = 0
        self.total = total
        self.deadline = deadline

    def take(self) -> bool:
        if self.taken == self.total:
            return False
        # The clock is read for every 1,024th number only, as in bench/sleep_work.hpp.
        if self.taken % 1024 == 0 and time.perf_counter() > self.deadline:
            return False
        self.taken += 1
        return True


async def worker(counter: Counter, sleep_seconds: float) -> None:
    while counter.take():
        await asyncio.sleep(sleep_seconds)


async def one_run(tasks: int, concurrency: int, sleep_seconds: float, time_limit: float) -> dict:
    start = time.perf_counter()
    counter = Counter(tasks, start + time_limit)
    await asyncio.gather(*(worker(counter, sleep_seconds) for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    if counter.taken < tasks:
        return {"concurrency": concurrency, "finished": False, "seconds": seconds,
                "reason": f"time limit of {time_limit:g} s passed"}
    return {"concurrency": concurrency, "finished": True, "seconds": seconds, "reason": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--sleep-ms", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run")
    anchor.add_loop_argument(parser)
    args = parser.parse_args()

    rows = [anchor.run(one_run(args.tasks, c, args.sleep_ms / 1000, args.time_limit), args.loop)
            for c in args.concurrency]
    anchor.print_json({"engine": anchor.engine_name(args.loop), "rows": rows})


if __name__ == "__main__":
    main()
