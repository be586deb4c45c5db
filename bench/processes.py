"""The processes a benchmark starts (servers, load generators), and what it reads of them from /proc.

Every process is started through `Processes`, which ends them all when the run ends, however it ends:
normally, on an error, or on Ctrl-C. Each child also asks the kernel to end it if the benchmark itself
is killed outright, so that no server is left listening behind a dead run.
"""

import asyncio
import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 5.0


def _end_with_parent() -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Processes:
    """Starts child processes and guarantees they are gone when the `async with` block is left."""

    def __init__(self) -> None:
        self._running: list[asyncio.subprocess.Process] = []

    async def __aenter__(self) -> "Processes":
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.stop(*self._running)

    async def start(self, command: Sequence[str], *, log: Path | None = None) -> asyncio.subprocess.Process:
        """Start `command` with this process's environment. With `log`, its output goes to that file;
        without, its standard input and output are pipes for the caller to talk through."""
        if log is None:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                preexec_fn=_end_with_parent,
                # A load generator's report is one JSON line of a few megabytes.
                limit=64 * 1024 * 1024,
            )
        else:
            with log.open("wb") as output:
                process = await asyncio.create_subprocess_exec(
                    *command,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=output,
                    stderr=asyncio.subprocess.STDOUT,
                    preexec_fn=_end_with_parent,
                )
        self._running.append(process)
        return process

    async def stop(self, *processes: asyncio.subprocess.Process) -> None:
        """Ask politely (SIGTERM), then insist (SIGKILL) after a grace period."""
        alive = [p for p in processes if p.returncode is None]
        for process in alive:
            process.terminate()
        try:
            async with asyncio.timeout(STOP_GRACE_SECONDS):
                await asyncio.gather(*(p.wait() for p in alive))
        except TimeoutError:
            for process in alive:
                if process.returncode is None:
                    process.kill()
            await asyncio.gather(*(p.wait() for p in alive))
        for process in processes:
            if process in self._running:
                self._running.remove(process)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def wait_for_port(port: int, process: asyncio.subprocess.Process, timeout: float = 30.0) -> None:
    """Return once something accepts connections on `port`; fail if `process` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"The server on port {port} exited with status {process.returncode}.")
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError(f"Nothing listened on port {port} within {timeout:.0f} s.")


def resident_bytes(pid: int) -> int:
    """The process's resident set size (VmRSS), in bytes."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/{pid}/status has no VmRSS line.")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
