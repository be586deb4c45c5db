"""chat_fanout: how fast a chat message reaches everyone in a big room, against the bare floor.

One sender posts to a room at a steady rate; every listening socket times each message from the moment
it was sent (the send time travels in the message) to the moment its frame arrived, all on this
machine's clock. Convene runs as in production, two ASGI processes sharing PostgreSQL and Redis: the
sender talks to the first, the listeners are split between both, so half of every delivery crosses
Redis pub/sub, and every message is stored before it is announced. The same load then runs against
a bare `websockets` broadcast server (bench/bare_broadcast.py), which stores nothing and checks
nothing: the floor every figure is divided by. The machine is shared and noisy, so it is these ratios,
measured in the same run, that compare from one run to the next.

Scenarios, for each server:
  fan-out     --listeners sockets (1000) in one room, --rate messages/s (10) for --duration s (20)
  small room  --small-listeners (100) at --small-rate (20) for --small-duration s (10)
  idle        --idle sockets (2000) open and signed in, following nothing, sending nothing: the
              resident memory each costs the server's processes (VmRSS after less before, per socket)

Figures: deliveries/s (first deliveries over the time from the first send to the last arrival), p50
and p99 of the send-to-arrival latency, messages lost (accepted messages times listeners, less what
arrived), duplicates, and the CPU the server's processes used (100% = one core) while measuring.

Convene is measured under daphne, uvicorn, and uvicorn with uvloop and httptools (`uvicorn[standard]`).
Two load-generator processes (bench/loadgen.py) hold the listening sockets, on the same two cores as
the servers; the bare server gets exactly the same clients, and frames of the same size.
"""

import argparse
import asyncio
import contextlib
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from websockets.asyncio.client import ClientConnection, connect

from bench import servers
from bench.processes import Processes
from bench.report import Figures, Memory, log, percentile, table
from bench.servers import Deployment

if TYPE_CHECKING:
    from bench.seed import Room

# After the last message is sent, how long arrivals may stall before the missing ones count as lost.
DRAIN_STALL_SECONDS = 5.0
DRAIN_TIMEOUT_SECONDS = 60.0
# Sockets opened, and closed, on each server process before its memory is read, so that what a process
# loads for its first connection is not counted against the idle ones.
WARM_UP_SOCKETS = 4


@dataclass(frozen=True)
class Scenario:
    name: str
    listeners: int
    rate: float
    duration: float

    @property
    def messages(self) -> int:
        return round(self.rate * self.duration)


# --- The listeners --------------------------------------------------------------------------------------


class Listeners:
    """The load-generator processes holding one scenario's listening sockets (see bench/loadgen.py)."""

    def __init__(self, processes: Processes, workers: list[asyncio.subprocess.Process]) -> None:
        self.processes = processes
        self.workers = workers

    @classmethod
    async def open(
        cls, processes: Processes, targets: list[dict[str, Any]], stream: str | None, worker_count: int
    ) -> "Listeners":
        """Open a socket per target, following `stream` when given; fails unless every one opened."""
        workers = [
            await processes.start([sys.executable, "-m", "bench.loadgen"]) for _ in range(worker_count)
        ]
        listeners = cls(processes, workers)
        for n, worker in enumerate(workers):
            await listeners._write(
                worker, json.dumps({"targets": targets[n::worker_count], "stream": stream})
            )
        replies = await listeners._read_all()
        if failed := sum(reply["failed"] for reply in replies):
            await listeners.close()
            error = next(reply["error"] for reply in replies if reply["error"])
            raise RuntimeError(f"{failed} of {len(targets)} sockets could not open: {error}")
        return listeners

    @staticmethod
    async def _write(worker: asyncio.subprocess.Process, line: str) -> None:
        assert worker.stdin is not None
        worker.stdin.write(line.encode() + b"\n")
        await worker.stdin.drain()

    async def _read_all(self) -> list[dict[str, Any]]:
        async def read(worker: asyncio.subprocess.Process) -> dict[str, Any]:
            assert worker.stdout is not None
            line = await worker.stdout.readline()
            if not line:
                raise RuntimeError(f"A load generator exited with status {await worker.wait()}.")
            reply: dict[str, Any] = json.loads(line)
            return reply

        return list(await asyncio.gather(*(read(worker) for worker in self.workers)))

    async def ask(self, command: str) -> list[dict[str, Any]]:
        for worker in self.workers:
            await self._write(worker, command)
        return await self._read_all()

    async def received(self) -> int:
        return sum(reply["received"] for reply in await self.ask("count"))

    async def drain(self, expected: int) -> None:
        """Wait for `expected` deliveries in all, or until arrivals stall for DRAIN_STALL_SECONDS."""
        deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
        last, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            received = await self.received()
            if received >= expected:
                return
            if received != last:
                last, last_change = received, time.monotonic()
            elif time.monotonic() - last_change > DRAIN_STALL_SECONDS:
                return
            await asyncio.sleep(0.2)

    async def close(self) -> None:
        for worker in self.workers:
            if worker.returncode is None:
                await self._write(worker, "close")
        # Closing handshakes with a busy server may take long; past that, the workers are ended.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await asyncio.gather(*(worker.wait() for worker in self.workers))
        await self.processes.stop(*self.workers)


# --- The sender ---------------------------------------------------------------------------------------


@dataclass
class Sender:
    """One socket posting numbered, timestamped messages at a steady rate.

    `frame_for(ref, body)` builds what goes on the wire. With `acknowledged`, the server answers each
    frame with an `ack` or an `error` carrying its `ref`, and only acknowledged messages are expected
    to arrive; the bare server answers nothing, so everything it was sent is expected.
    """

    socket: ClientConnection
    frame_for: Callable[[str, str], str]
    acknowledged: bool
    accepted: set[int] = field(default_factory=set)
    refused: Counter[str] = field(default_factory=Counter)
    answers: int = 0

    def __post_init__(self) -> None:
        self._reader = asyncio.create_task(self._read_answers())

    async def _read_answers(self) -> None:
        async for text in self.socket:
            frame = json.loads(text)
            if frame.get("type") not in ("ack", "error"):
                continue
            self.answers += 1
            if frame["type"] == "error":
                self.refused[frame.get("code", "?")] += 1
            elif str(frame.get("ref")).isdigit():
                self.accepted.add(int(frame["ref"]))

    async def post(self, count: int, rate: float, *, timed: bool) -> None:
        """Send `count` messages, `rate` a second, and wait for their answers. Timed messages carry
        `t=<send time in ns>#<n>`, which the listeners look for; the others warm the server up."""
        expected_answers = self.answers + count
        start = time.perf_counter()
        for n in range(count):
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            if timed:
                await self.socket.send(self.frame_for(str(n), f"t={time.time_ns()}#{n}"))
            else:
                await self.socket.send(self.frame_for(f"warm-up-{n}", "Warming up"))
        if not self.acknowledged:
            if timed:
                self.accepted.update(range(count))
            return
        async with asyncio.timeout(DRAIN_TIMEOUT_SECONDS):
            while self.answers < expected_answers:
                await asyncio.sleep(0.05)

    async def close(self) -> None:
        self._reader.cancel()
        await self.socket.close()


def bare_frame(ref: str, body: str) -> str:
    """A frame shaped as Convene's `message.created` event (forums.events.MessageData), built by the
    sender itself for the bare server to relay, so that both deliver frames of the same size."""
    data = {
        "id": 1,
        "room": 1,
        "author": {"id": 2, "name": "Sender", "handle": "sender", "url": "/people/sender/"},
        "body": body,
        "body_html": f"<p>{body}</p>",
        "reply_to": None,
        "created_at": "2026-01-01T00:00:00.000000+00:00",
        "edited_at": None,
        "deleted": False,
        "reactions": [],
    }
    event = {"type": "event", "stream": "chat:1", "seq": 1, "kind": "message.created", "data": data}
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


async def open_sender(deployment: Deployment, room: "Room | None") -> Sender:
    """The sender's socket, on the first process; on Convene, signed in as the room's sender."""
    port = deployment.ports[0]
    socket = await connect(
        deployment.url(port),
        origin=deployment.origin(port),  # type: ignore[arg-type]
        additional_headers={"Cookie": f"sessionid={room.sender_session}"} if room else None,
        compression=None,
        ping_interval=None,
    )
    if room is None:
        return Sender(socket, bare_frame, acknowledged=False)

    def chat_send(ref: str, body: str) -> str:
        return json.dumps({"type": "chat.send", "room": room.id, "body": body, "ref": ref})

    return Sender(socket, chat_send, acknowledged=True)


# --- Scenarios -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What every scenario of one server shares."""

    processes: Processes
    deployment: Deployment
    room: "Room | None"
    workers: int

    def sessions(self, count: int) -> list[str | None]:
        """A signed-in member's session per socket on Convene; no cookie on the bare server."""
        if self.room is None:
            return [None] * count
        if count > len(self.room.member_sessions):
            raise RuntimeError(f"The room has {len(self.room.member_sessions)} members, not {count}.")
        return list(self.room.member_sessions[:count])

    async def settle(self) -> None:
        if not await self.deployment.quiesce():
            log(f"  {self.deployment.name} is still busy; measuring anyway")


async def fanout(run: Run, scenario: Scenario) -> Figures:
    deployment = run.deployment
    stream = run.room.stream if run.room else None
    await run.settle()
    log(f"  {scenario.name}: opening {scenario.listeners} sockets")
    listeners = await Listeners.open(
        run.processes, deployment.targets(run.sessions(scenario.listeners)), stream, run.workers
    )
    sender = await open_sender(deployment, run.room)
    try:
        await run.settle()
        # The first messages pay for what a process does once (imports, pooled connections).
        await sender.post(round(scenario.rate), scenario.rate, timed=False)
        await run.settle()
        log(f"  {scenario.name}: {scenario.messages} messages at {scenario.rate:g}/s")
        started_ns, cpu_before, wall_before = time.time_ns(), deployment.cpu(), time.monotonic()
        await sender.post(scenario.messages, scenario.rate, timed=True)
        expected = len(sender.accepted) * scenario.listeners
        await listeners.drain(expected)
        cpu_share = (deployment.cpu() - cpu_before) / (time.monotonic() - wall_before)
        reports = await listeners.ask("report")
    finally:
        await sender.close()
        await listeners.close()

    latencies = sorted(us for report in reports for us in report["latencies_us"])
    per_message: Counter[int] = Counter()
    for report in reports:
        per_message.update({int(n): count for n, count in report["per_message"].items()})
    arrived = sum(per_message[n] for n in sender.accepted)
    last_ns = max(report["last_ns"] for report in reports)
    elapsed = (last_ns - started_ns) / 1e9 if last_ns > started_ns else math.inf
    return Figures(
        server=deployment.name,
        scenario=scenario.name,
        deliveries_per_second=per_message.total() / elapsed,
        p50_ms=percentile(latencies, 0.50) / 1000,
        p99_ms=percentile(latencies, 0.99) / 1000,
        lost=expected - arrived,
        dupes=sum(report["dupes"] for report in reports),
        cpu_percent=100 * cpu_share,
        refused=sender.refused,
        closed=sum((Counter(report["closed"]) for report in reports), Counter()),
    )


async def idle(run: Run, sockets: int) -> Memory:
    """Memory per idle socket. The sockets follow no stream: a crowd subscribing to one room at once
    would leave the allocator's high-water mark of the presence traffic in the figure, not what an
    idle socket holds."""
    deployment = run.deployment
    warm = WARM_UP_SOCKETS * len(deployment.ports)
    await (await Listeners.open(run.processes, deployment.targets(run.sessions(warm)), None, 1)).close()
    await run.settle()
    before = deployment.resident()
    log(f"  idle: opening {sockets} sockets")
    listeners = await Listeners.open(
        run.processes, deployment.targets(run.sessions(sockets)), None, run.workers
    )
    try:
        await run.settle()
        after = deployment.resident()
    finally:
        await listeners.close()
    return Memory(deployment.name, sockets, before, after)


# --- The run -------------------------------------------------------------------------------------------


def server_names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if unknown := set(names) - set(servers.SERVERS):
        raise argparse.ArgumentTypeError(f"unknown servers: {', '.join(sorted(unknown))}")
    return names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("chat fan-out (--only chat)", __doc__)
    group.add_argument("--listeners", type=int, default=1000)
    group.add_argument("--rate", type=float, default=10.0, help="messages a second")
    group.add_argument("--duration", type=float, default=20.0, help="seconds")
    group.add_argument("--small-listeners", type=int, default=100)
    group.add_argument("--small-rate", type=float, default=20.0)
    group.add_argument("--small-duration", type=float, default=10.0)
    group.add_argument("--idle", type=int, default=2000, help="idle sockets; 0 skips the memory scenario")
    group.add_argument(
        "--servers",
        type=server_names,
        default=list(servers.SERVERS),
        help=f"a comma-separated subset of {', '.join(servers.SERVERS)}",
    )
    group.add_argument("--load-workers", type=int, default=2, help="load-generator processes")


def prepare_room(members: int) -> "Room":
    """Fill a fresh bench database with a room of `members`."""
    servers.use_bench_settings()
    # Django models can only be imported once it is set up.
    from bench.seed import clear_redis, recreate_database, seed_room

    log("Creating the bench database")
    recreate_database()
    clear_redis()
    log(f"Seeding a room with {members} members")
    return seed_room(members=members)


async def measure(
    args: argparse.Namespace, room: "Room | None", logs: Path
) -> tuple[list[Figures], list[Memory]]:
    scenarios = [
        Scenario(f"{args.listeners} @ {args.rate:g} msg/s", args.listeners, args.rate, args.duration),
        Scenario(
            f"{args.small_listeners} @ {args.small_rate:g} msg/s",
            args.small_listeners,
            args.small_rate,
            args.small_duration,
        ),
    ]
    figures: list[Figures] = []
    memory: list[Memory] = []
    async with Processes() as processes:
        for name in args.servers:
            log(f"{name}:")
            deployment = await servers.start(processes, name, logs)
            run = Run(processes, deployment, None if deployment.is_bare else room, args.load_workers)
            try:
                if args.idle:
                    memory.append(await idle(run, args.idle))
                for scenario in scenarios:
                    result = await fanout(run, scenario)
                    log(f"  {scenario.name}: {result.line()}")
                    figures.append(result)
            except (RuntimeError, TimeoutError) as error:
                log(f"  {name} FAILED: {error!r}; its output is in {logs}")
            await processes.stop(*deployment.processes)
    return figures, memory


def main(args: argparse.Namespace, logs: Path) -> None:
    """The scenarios on every server of `args.servers`, their output going to files in `logs`."""
    room = None
    if any(name != servers.BARE for name in args.servers):
        room = prepare_room(max(args.listeners, args.small_listeners, args.idle, WARM_UP_SOCKETS * 2))
    figures, memory = asyncio.run(measure(args, room, logs))
    print(table(figures, memory))
