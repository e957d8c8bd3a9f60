"""c10k_client.py: the client of the story in asyncio streams (bench/c10k's Python rows).

It keeps the contract of every client stage (docs/00-overview.md): --host --port --requests N (ids N-1 down to
0) --timeout (per request) --json; --loop picks asyncio's loop or uvloop. With --json it
prints one object: {"stage": "python_asyncio", "requests", "ok", "failed", "wall_seconds",
"results": [{"id", "ok", "response", "start", "end", "error"}, ...]}. Exit 1 if any failed.
"""

import argparse
import asyncio
import sys
import time

import anchor


def timeout_after(seconds: float):
    """`async with timeout_after(s):` on Python 3.11+; None means use wait_for instead."""
    return asyncio.timeout(seconds) if hasattr(asyncio, "timeout") else None


async def exchange(host: str, port: int, request_id: int) -> str:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"Request {request_id}\n".encode())
        line = await reader.readline()
    finally:
        writer.close()
    if not line.endswith(b"\n"):
        raise ConnectionError(f"connection closed by {host}:{port} before a whole response line")
    return line.decode().rstrip("\r\n")


async def make_tcp_request(host, port, request_id, timeout, start) -> dict:
    began = time.perf_counter() - start
    result = {"id": request_id, "ok": False, "response": None, "start": began, "error": None}
    try:
        scope = timeout_after(timeout)
        if scope is None:
            response = await asyncio.wait_for(exchange(host, port, request_id), timeout)
        else:
            async with scope:
                response = await exchange(host, port, request_id)
        result.update(ok=True, response=response)
    except (TimeoutError, asyncio.TimeoutError):
        result["error"] = f"timed out after {timeout:g} s"
    except OSError as error:
        result["error"] = f"{host}:{port}: {error}"
    result["end"] = time.perf_counter() - start
    return result


async def run_all(args) -> tuple:
    start = time.perf_counter()
    ids = range(args.requests - 1, -1, -1)
    results = await asyncio.gather(
        *(make_tcp_request(args.host, args.port, i, args.timeout, start) for i in ids))
    return results, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--json", action="store_true")
    anchor.add_loop_argument(parser)
    args = parser.parse_args()

    results, wall = anchor.run(run_all(args), args.loop)
    ok = sum(result["ok"] for result in results)
    if args.json:
        anchor.print_json({"stage": f"python_{args.loop}", "requests": args.requests, "ok": ok,
                           "failed": args.requests - ok, "wall_seconds": wall,
                           "results": results})
    else:
        for result in results:
            if not args.quiet and result["ok"]:
                print(f"Response for Request {result['id']}: {result['response']}")
            elif not result["ok"]:
                print(f"Request {result['id']} failed: {result['error']}", file=sys.stderr)
        print(f"{ok}/{args.requests} responses in {wall:.2f} s")
    return 0 if ok == args.requests else 1


if __name__ == "__main__":
    sys.exit(main())
