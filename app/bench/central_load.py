"""The load of `call_next_central_p95_ms`: 20 desks on the hall's shared queue, driven from a
process of their own (`python -m app.bench.central_load`, its settings as JSON on stdin, its
numbers as JSON on the last line of stdout) so that their clients do not take the CPU time,
the GIL or the time slices of the server they measure.

What "20 concurrent desks" means here: each desk has its own keep-alive connection and its
own token (window 1..20); in each of ROUNDS bursts all 20 send their call-next at the same
moment (one asyncio loop, light raw HTTP/1.1: about 0.2 ms of client CPU a call), and the
burst ends when the last reply is in; a short GAP_S separates bursts. That is the worst minute
of a hall (every window calling at once, as after a break), not a hall's average (a window
calls every minute or two). The p95 is over all the calls of all bursts. Beside it the desks
also call back to back with no pause (a closed loop), which measures throughput (calls/s),
and one desk calls alone (the latency of one call, end to end)."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

ROUNDS = 25
GAP_S = 0.05
CLOSED_CALLS = 10
SINGLE_CALLS = 30


class Desk:
    """One desk's keep-alive connection to the store's call-next route."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.path = f"/v1/halls/{token.partition('.')[0]}/queue/call-next"

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def call(self) -> dict[str, Any]:
        body = json.dumps({"request_id": uuid.uuid4().hex}).encode()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        if status.split()[1:2] != [b"200"]:
            raise RuntimeError(f"call-next: {status!r} {data[:200]!r}")
        return dict(json.loads(data))

    def close(self) -> None:
        self.writer.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def drive(
    url: str,
    tokens: list[str],
    rounds: int = ROUNDS,
    gap_s: float = GAP_S,
    closed_calls: int = CLOSED_CALLS,
) -> dict[str, Any]:
    """The numbers (ms, calls/s) and the ids of the tickets called in the bursts."""
    parts = urlsplit(url)
    desks = [Desk(parts.hostname or "127.0.0.1", parts.port or 80, t) for t in tokens]
    for desk in desks:
        await desk.open()
        await desk.call()  # connected and its token known before the clock starts
    burst: list[float] = []
    called: list[str] = []

    async def one(desk: Desk, go: asyncio.Event) -> None:
        await go.wait()
        start = time.perf_counter()
        reply = await desk.call()
        burst.append(time.perf_counter() - start)
        if reply.get("ticket"):
            called.append(reply["ticket"]["id"])

    cpu = time.process_time()
    for _ in range(rounds):
        go = asyncio.Event()
        tasks = [asyncio.create_task(one(d, go)) for d in desks]
        await asyncio.sleep(0)  # every desk waits on `go`
        go.set()
        await asyncio.gather(*tasks)
        await asyncio.sleep(gap_s)
    client_cpu = (time.process_time() - cpu) / max(1, len(burst))

    closed: list[float] = []

    async def back_to_back(desk: Desk) -> None:
        for _ in range(closed_calls):
            start = time.perf_counter()
            await desk.call()
            closed.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(back_to_back(d) for d in desks))
    wall = time.perf_counter() - start
    single = []
    for _ in range(SINGLE_CALLS):
        start = time.perf_counter()
        await desks[0].call()
        single.append(time.perf_counter() - start)
    for desk in desks:
        desk.close()
    single.sort()
    return {
        "burst_p95_ms": p95(burst) * 1000,
        "closed_p95_ms": p95(closed) * 1000,
        "closed_calls_per_s": len(closed) / wall,
        "single_ms": single[len(single) // 2] * 1000,
        "client_cpu_ms": client_cpu * 1000,
        "burst_calls": len(burst),
        "called": called,
    }


def main() -> None:
    settings = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(drive(**settings))))


if __name__ == "__main__":
    main()
