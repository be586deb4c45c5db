"""The floor: a bare `websockets` server that relays every frame it receives to every other socket.

No authentication, no database, no channel layer, one process: the least work a Python server can do to
fan a message out, so that Convene's figures can be read as a ratio to it. The frame it relays is sent
as is, already encoded, once per socket, as `websockets.broadcast` does.

    python -m bench.bare_broadcast --port 8700
"""

import argparse
import asyncio
import signal

from websockets.asyncio.server import ServerConnection, broadcast, serve

# The same limits the Convene servers run with (see bench.servers).
MAX_FRAME_BYTES = 64 * 1024
PING_INTERVAL_SECONDS = 20.0


async def serve_forever(host: str, port: int) -> None:
    connections: set[ServerConnection] = set()

    async def relay(connection: ServerConnection) -> None:
        connections.add(connection)
        try:
            async for frame in connection:
                broadcast(connections - {connection}, frame)
        finally:
            connections.discard(connection)

    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    async with serve(
        relay,
        host,
        port,
        compression=None,
        max_size=MAX_FRAME_BYTES,
        ping_interval=PING_INTERVAL_SECONDS,
        backlog=4096,
    ):
        await stop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(serve_forever(args.host, args.port))


if __name__ == "__main__":
    main()
