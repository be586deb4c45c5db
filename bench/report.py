"""What a run prints: its progress, the figures each benchmark yields, and the tables that set them
against their baseline."""

import math
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.servers import BARE

_started = time.monotonic()


def log(message: str) -> None:
    """Progress, on standard error, with the seconds since the run started."""
    print(f"[{time.monotonic() - _started:5.0f} s] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Figures:
    """One server in one fan-out scenario."""

    server: str
    scenario: str
    deliveries_per_second: float
    p50_ms: float
    p99_ms: float
    lost: int
    dupes: int
    # CPU time of all the server's processes over the measurement, 100% being one core.
    cpu_percent: float
    # Messages the server refused (an `error` answer), by error code.
    refused: Counter[str]
    # Sockets the server closed during the scenario, by close code (4008: the socket fell behind).
    closed: Counter[str]

    def line(self) -> str:
        return (
            f"{self.deliveries_per_second:,.0f} deliveries/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"{self.lost} lost, {self.dupes} dupes, CPU {self.cpu_percent:.0f}%"
        )


@dataclass(frozen=True)
class Memory:
    """One server's resident memory before and after opening `sockets` idle sockets."""

    server: str
    sockets: int
    before: int
    after: int

    @property
    def per_socket(self) -> float:
        return (self.after - self.before) / self.sockets


def percentile(ordered: Sequence[int], share: float) -> float:
    """Nearest-rank percentile of an ascending sequence (NaN when it is empty)."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _ratio(value: float, floor: float | None) -> str:
    return f"{value / floor:.2f}" if floor else "—"


def table(figures: list[Figures], memory: list[Memory]) -> str:
    """Both tables, each Convene row with its ratio to the bare server's row of the same scenario."""
    floors = {f.scenario: f for f in figures if f.server == BARE}
    header = (
        f"{'server':<15} {'scenario':<22} {'deliveries/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'lost':>6} "
        f"{'dupes':>5} {'CPU %':>6} {'deliv/s ÷ bare':>14} {'p99 ÷ bare':>10} {'CPU ÷ bare':>10}"
    )
    lines = [header, "-" * len(header)]
    for f in figures:
        floor = floors.get(f.scenario)
        rate_ratio = _ratio(f.deliveries_per_second, floor.deliveries_per_second if floor else None)
        p99_ratio = _ratio(f.p99_ms, floor.p99_ms if floor else None)
        cpu_ratio = _ratio(f.cpu_percent, floor.cpu_percent if floor else None)
        lines.append(
            f"{f.server:<15} {f.scenario:<22} {f.deliveries_per_second:>12,.0f} {f.p50_ms:>8.1f} "
            f"{f.p99_ms:>8.1f} {f.lost:>6} {f.dupes:>5} {f.cpu_percent:>6.0f} "
            f"{rate_ratio:>14} {p99_ratio:>10} {cpu_ratio:>10}"
        )
        if f.refused or f.closed:
            refused = dict(f.refused) or "none"
            closed = dict(f.closed) or "none"
            lines.append(
                f"{'':<15} {'':<22} refused (by code): {refused}; sockets closed (by code): {closed}"
            )
    if memory:
        bare = next((m.per_socket for m in memory if m.server == BARE), None)
        header = (
            f"{'server':<15} {'idle sockets':>12} {'RSS before MiB':>14} {'RSS after MiB':>13} "
            f"{'KiB / socket':>12} {'÷ bare':>7}"
        )
        lines += ["", header, "-" * len(header)]
        for m in memory:
            lines.append(
                f"{m.server:<15} {m.sockets:>12} {m.before / 2**20:>14.1f} {m.after / 2**20:>13.1f} "
                f"{m.per_socket / 1024:>12.1f} {_ratio(m.per_socket, bare):>7}"
            )
    return "\n".join(lines)


@dataclass(frozen=True)
class PageFigures:
    """One page under load (see bench.forum_pages)."""

    page: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # Connections refused, broken or timed out, and answers other than 2xx or 3xx.
    errors: int
    # Database queries one request of the page makes.
    queries: int
    # CPU time over the measurement, 100% being one core: the server's processes, and the load generator.
    server_cpu_percent: float
    client_cpu_percent: float

    def line(self) -> str:
        return (
            f"{self.requests_per_second:,.0f} requests/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"{self.errors} errors, server CPU {self.server_cpu_percent:.0f}%, "
            f"client CPU {self.client_cpu_percent:.0f}%"
        )


def page_table(figures: list[PageFigures], baseline: str) -> str:
    """Every page with its ratio to the `baseline` page's row."""
    floor = next((f for f in figures if f.page == baseline), None)
    header = (
        f"{'page':<26} {'requests/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'queries':>7} "
        f"{'server CPU %':>12} {'client CPU %':>12} {'req/s ÷ bare':>12} {'p99 ÷ bare':>10}"
    )
    lines = [header, "-" * len(header)]
    for f in figures:
        rate_ratio = _ratio(f.requests_per_second, floor.requests_per_second if floor else None)
        p99_ratio = _ratio(f.p99_ms, floor.p99_ms if floor else None)
        lines.append(
            f"{f.page:<26} {f.requests_per_second:>10,.0f} {f.p50_ms:>8.1f} {f.p99_ms:>8.1f} {f.errors:>6} "
            f"{f.queries:>7} {f.server_cpu_percent:>12.0f} {f.client_cpu_percent:>12.0f} "
            f"{rate_ratio:>12} {p99_ratio:>10}"
        )
    return "\n".join(lines)
