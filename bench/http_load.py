"""HTTP load: wrk (Debian's `wrk`, `scripts/ensure-wrk`) requesting one page over keep-alive connections.

wrk is a C load generator: the client shares the machine's two cores with the servers, and an event
loop in C spends a small share of what a Python client would to send the same requests, so the servers
get the most of the CPU there is. Each connection sends its next request as soon as the answer to the
last one has arrived (a closed loop, as the forum figures in DESIGN.md were measured), for a fixed time.

The connections are split evenly between the server's processes, as a proxy's round robin would: wrk
runs one thread per process, and the script below points each thread at its process's port, so that a
single wrk reports the latencies of all of them together.
"""

import asyncio
import json
import resource
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.processes import Processes

WRK = "wrk"
# Long enough that no answer is given up on: a slow one counts in the latencies rather than as an error.
TIMEOUT_SECONDS = 30
MARK = "wrk-summary "

# `setup` runs once per thread before any connects; `done` once at the end, with every thread's figures.
SCRIPT = """\
local ports = {%(ports)s}
local threads = 0

function setup(thread)
  threads = threads + 1
  thread.addr = wrk.lookup("127.0.0.1", ports[(threads - 1) %% #ports + 1])[1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_us": %%d, "errors": %%d, "status_errors": %%d, '
    .. '"p50_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class Load:
    """What one run of wrk measured."""

    requests: int
    seconds: float
    # Connections refused, broken or timed out.
    errors: int
    # Answers with a status other than 2xx or 3xx.
    status_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    # CPU time wrk used, in seconds.
    client_cpu: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds


def require_wrk() -> None:
    if shutil.which(WRK) is None:
        raise SystemExit(
            "The page benchmarks need wrk: run scripts/ensure-wrk (Debian: sudo apt-get install wrk)."
        )


async def request_for(
    processes: Processes,
    *,
    ports: Sequence[int],
    path: str,
    headers: Mapping[str, str],
    connections: int,
    seconds: float,
    folder: Path,
) -> Load:
    """Request `path` on every port in `ports` with `connections` connections in all, for `seconds`."""
    script = folder / "wrk-ports.lua"
    script.write_text(SCRIPT % {"ports": ", ".join(f'"{port}"' for port in ports), "mark": MARK})
    header_options = [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]
    command = [
        WRK, "--threads", str(len(ports)), "--connections", str(connections),
        "--duration", f"{seconds:g}s", "--timeout", f"{TIMEOUT_SECONDS}s", "--script", str(script),
        *header_options, f"http://127.0.0.1:{ports[0]}{path}",
    ]  # fmt: skip
    # wrk is the only child that ends while it runs, so the children's CPU time grows by its own.
    cpu_before = _children_cpu()
    process = await processes.start(command)
    assert process.stdout is not None
    output = (await process.stdout.read()).decode()
    if await process.wait() != 0 or MARK not in output:
        raise RuntimeError(f"wrk failed on {path} (status {process.returncode}):\n{output}")
    summary = json.loads(output.rpartition(MARK)[2])
    return Load(
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        errors=summary["errors"],
        status_errors=summary["status_errors"],
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        max_ms=summary["max_us"] / 1000,
        client_cpu=_children_cpu() - cpu_before,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def status_of(port: int, path: str, headers: Mapping[str, str]) -> tuple[int, str]:
    """The status and Location of one GET of `path`: wrk counts a redirect as a page served, so each
    page is checked to answer 200 before it is loaded."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    writer.close()
    await writer.wait_closed()
    location = next(
        (line.split(":", 1)[1].strip() for line in head if line.lower().startswith("location:")), ""
    )
    return int(head[0].split()[1]), location
