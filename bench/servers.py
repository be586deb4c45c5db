"""The servers under test: how each is started, where its sockets are, and what its processes use.

Convene runs as the smallest production setup, two ASGI processes sharing PostgreSQL and Redis, under
each server measured; the bare floor (bench/bare_broadcast.py) is one process. All listen on loopback
ports chosen at random, with the same frame-size limit and keepalive pings.
"""

import asyncio
import functools
import os
import secrets
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.processes import Processes, cpu_seconds, free_port, resident_bytes, wait_for_port

BARE = "bare"
# uvicorn alone is the pure-Python install; uvicorn+uvloop is what `uvicorn[standard]` brings.
SERVERS = (BARE, "daphne", "uvicorn", "uvicorn+uvloop")
# What README.md's deployment section runs.
PRODUCTION = "uvicorn+uvloop"
CONVENE_PROCESSES = 2
MAX_FRAME_BYTES = 64 * 1024
PING_INTERVAL_SECONDS = 20
# A server is quiet when all its processes together use less than this share of one core.
QUIET_CPU_SHARE = 0.10
QUIET_TIMEOUT_SECONDS = 30.0


@functools.cache
def use_bench_settings() -> None:
    """Load Django in this process with bench/settings.py, which the servers it starts inherit. Once
    per run: the servers must know the key that signed the sessions made here, a fresh one each run."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    import django

    django.setup()


def server_command(name: str, port: int) -> list[str]:
    python = sys.executable
    if name == BARE:
        return [python, "-m", "bench.bare_broadcast", "--port", str(port)]
    if name == "daphne":
        return [
            python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "-v", "0",
            "--ping-interval", str(PING_INTERVAL_SECONDS),
            "--websocket-max-message-size", str(MAX_FRAME_BYTES),
            "config.asgi:application",
        ]  # fmt: skip
    loop, http = ("uvloop", "httptools") if name == "uvicorn+uvloop" else ("asyncio", "h11")
    return [
        python, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
        "--loop", loop, "--http", http, "--ws", "websockets-sansio",
        "--ws-max-size", str(MAX_FRAME_BYTES), "--ws-ping-interval", str(PING_INTERVAL_SECONDS),
        "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


@dataclass
class Deployment:
    """One server under test: its processes and where its websockets are."""

    name: str
    ports: list[int]
    processes: list[asyncio.subprocess.Process]

    @property
    def is_bare(self) -> bool:
        return self.name == BARE

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def url(self, port: int) -> str:
        return f"ws://127.0.0.1:{port}{'/' if self.is_bare else '/ws/'}"

    def origin(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

    def targets(self, sessions: Sequence[str | None]) -> list[dict[str, Any]]:
        """A socket per session (None: no cookie), spread evenly over the server's processes."""
        ports = [self.ports[n % len(self.ports)] for n in range(len(sessions))]
        return [
            {
                "url": self.url(port),
                "origin": self.origin(port),
                "cookie": f"sessionid={key}" if key else None,
            }
            for port, key in zip(ports, sessions, strict=True)
        ]

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def resident(self) -> int:
        return sum(resident_bytes(pid) for pid in self.pids)

    async def quiesce(self) -> bool:
        """Wait until the processes have finished what earlier sockets left them (handshakes, closes,
        presence); False if they were still busy after QUIET_TIMEOUT_SECONDS."""
        deadline = time.monotonic() + QUIET_TIMEOUT_SECONDS
        window = 0.5
        while time.monotonic() < deadline:
            before = self.cpu()
            await asyncio.sleep(window)
            if self.cpu() - before < QUIET_CPU_SHARE * window:
                return True
        return False


async def start(processes: Processes, name: str, logs: Path) -> Deployment:
    """Start `name`'s processes, their output going to files in `logs`, and wait until they listen."""
    ports = [free_port()] if name == BARE else [free_port() for _ in range(CONVENE_PROCESSES)]
    started = [
        await processes.start(server_command(name, port), log=logs / f"{name}-{port}.log") for port in ports
    ]
    for port, process in zip(ports, started, strict=True):
        await wait_for_port(port, process)
    return Deployment(name, ports, started)
