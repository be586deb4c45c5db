"""A load-generator process: many listening websockets, timing every marked frame they receive.

The benchmark starts two of these, so that receiving uses both cores as the servers do, and drives
them through standard input and output, one JSON object a line:

    stdin, first line   {"targets": [{"url", "origin", "cookie"}...], "stream": "chat:1" | null}
    stdout              {"ready": <sockets open>, "failed": <sockets refused>, "error": <first refusal>}
    stdin "count"   ->  {"received": <first deliveries so far>}
    stdin "report"  ->  {"latencies_us": [...], "per_message": {n: sockets}, "dupes": n,
                         "closed": {close code: sockets}, "last_ns": <last arrival>}
    stdin "close"       closes every socket and exits.

With a stream, each socket subscribes to it first, as a browser tab in a chat room does. A frame is
timed when it carries the sender's mark `t=<send time in ns>#<message number>`: it is found with a
regular expression rather than by decoding the JSON, so that the same client work is done against the
bare server and against Convene, whatever the frame's shape.
"""

import asyncio
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

MARK = re.compile(r"t=(\d+)#(\d+)")
# Sockets opening at once. A thousand at a time would overflow a server's accept backlog (Twisted's is
# 50) and leave handshakes queued past daphne's five-second limit: arrivals come in waves instead.
CONNECT_CONCURRENCY = 20
SUBSCRIBE_TIMEOUT_SECONDS = 60.0
OPEN_ATTEMPTS = 4


@dataclass
class Tally:
    """What every socket of this process received."""

    latencies_us: list[int] = field(default_factory=list)
    per_message: Counter[int] = field(default_factory=Counter)
    dupes: int = 0
    # Sockets the server closed, by close code (4008: the socket fell too far behind).
    closed: Counter[int] = field(default_factory=Counter)
    last_ns: int = 0


async def listen(socket: ClientConnection, tally: Tally) -> None:
    seen: set[int] = set()
    try:
        async for frame in socket:
            received = time.time_ns()
            mark = MARK.search(frame if isinstance(frame, str) else frame.decode())
            if mark is None:
                continue
            number = int(mark[2])
            if number in seen:
                tally.dupes += 1
                continue
            seen.add(number)
            tally.per_message[number] += 1
            tally.latencies_us.append((received - int(mark[1])) // 1000)
            tally.last_ns = received
    except ConnectionClosed:
        pass
    # The benchmark closes its sockets only after the report: an earlier end is the server's doing.
    tally.closed[socket.close_code or 0] += 1


async def open_socket(target: dict[str, Any], stream: str | None) -> ClientConnection:
    """Open and subscribe, trying again a few times as the browser script does: a server busy with a
    crowd arriving may close a handshake it could not finish in time."""
    for attempt in range(1, OPEN_ATTEMPTS):
        try:
            return await open_once(target, stream)
        except (OSError, InvalidHandshake, TimeoutError):
            await asyncio.sleep(attempt)
    return await open_once(target, stream)


async def open_once(target: dict[str, Any], stream: str | None) -> ClientConnection:
    headers = {"Cookie": target["cookie"]} if target.get("cookie") else None
    socket = await connect(
        target["url"],
        origin=target["origin"],
        additional_headers=headers,
        # No permessage-deflate: every server then sends the same bytes, and compressing each copy of
        # a broadcast frame would measure zlib rather than fan-out.
        compression=None,
        # The servers ping; the clients only answer, as browsers do.
        ping_interval=None,
        open_timeout=SUBSCRIBE_TIMEOUT_SECONDS,
        max_size=1 << 20,
    )
    if stream is not None:
        await socket.send(json.dumps({"type": "subscribe", "stream": stream, "ref": "s"}))
        async with asyncio.timeout(SUBSCRIBE_TIMEOUT_SECONDS):
            while True:
                reply = json.loads(await socket.recv())
                if reply.get("ref") == "s":
                    break
        if reply["type"] != "subscribed":
            await socket.close()
            raise RuntimeError(f"subscribe refused: {reply}")
    return socket


async def run(config: dict[str, Any], commands: asyncio.StreamReader) -> None:
    tally = Tally()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    readers: list[asyncio.Task[None]] = []

    async def open_and_listen(target: dict[str, Any]) -> ClientConnection:
        async with gate:
            socket = await open_socket(target, config["stream"])
        # Read from the start, as a browser does, so that what arrives while the others open (who
        # joined the room) is drained rather than left to pile up in the server.
        readers.append(asyncio.create_task(listen(socket, tally)))
        return socket

    outcomes = await asyncio.gather(*(open_and_listen(t) for t in config["targets"]), return_exceptions=True)
    sockets = [s for s in outcomes if isinstance(s, ClientConnection)]
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    say({"ready": len(sockets), "failed": len(errors), "error": repr(errors[0]) if errors else None})

    while command := (await commands.readline()).decode().strip():
        if command == "count":
            say({"received": tally.per_message.total()})
        elif command == "report":
            say(
                {
                    "latencies_us": tally.latencies_us,
                    "per_message": tally.per_message,
                    "dupes": tally.dupes,
                    "closed": tally.closed,
                    "last_ns": tally.last_ns,
                }
            )
        elif command == "close":
            break
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def main() -> None:
    loop = asyncio.get_running_loop()
    # The first line lists every socket to open: far more than asyncio's 64 KiB default line.
    commands = asyncio.StreamReader(limit=16 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    config = json.loads(await commands.readline())
    await run(config, commands)


if __name__ == "__main__":
    asyncio.run(main())
