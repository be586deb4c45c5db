"""forum_pages: how many forum and stories pages a second Convene serves under load, and how fast,
against a bare Django page served in the same run.

Convene runs as in production (bench/settings.py: DEBUG off, PostgreSQL through psycopg's pool, Redis
for the cache) under its production server, uvicorn with uvloop and httptools, as two processes, one
per core, as README.md's deployment section runs it. wrk (bench/http_load.py) holds --connections
keep-alive connections (32), half on each process as a proxy's round robin would, and requests one
page as fast as the answers come for --page-duration seconds (15), after --page-warm-up seconds (5)
that are not counted. Requests carry `X-Forwarded-Proto: https`, as from the proxy production sits
behind. wrk runs on the same two cores as the servers; the CPU it used is in the table.

Pages, in order:
  bare                   a Django view rendering a static template through the same middleware, on
                         the same servers (bench/urls.py): the floor the others are divided by
  topic, page 1          a topic of --topic-posts posts (100) by a dozen members who reply to each
                         other and react, 20 posts a page, for a visitor of the public network
  topic, last page       the same topic's last page
  category               the first page of a category of --category-topics topics (100)
  stories feed           the first page of the stories feed, of --feed-stories published stories (100)
                         with tags, authors and co-authors, one featured, for a visitor
  topic, page 1, member  the first page again, signed in as a member of the network (one session)

Figures: requests/s, p50 and p99 latency, errors (connections refused, broken or timed out, answers
other than 2xx and 3xx), the database queries one request makes (counted once in this process,
through the same middleware, on a request after a first one), the CPU of the server's processes and
of wrk (100% = one core), and each page's requests/s and p99 divided by the bare page's.

DESIGN.md's budget, measured on the same kind of machine: three times the 67 requests/s and a third
of the 800 ms p99 that the forum Spirit shows for a 100-reply topic page under 32 connections, with at
most 8 queries a page.
"""

import argparse
import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench import servers
from bench.http_load import Load, request_for, require_wrk, status_of
from bench.processes import Processes
from bench.report import PageFigures, log, page_table
from bench.servers import Deployment

if TYPE_CHECKING:
    from bench.seed import Forum, Stories

BARE = "bare"
# What production's proxy tells the servers; without it they would redirect every request to HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SPIRIT_REQUESTS_PER_SECOND = 67
SPIRIT_P99_MS = 800
QUERY_BUDGET = 8


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # A signed-in member's session key; None for a visitor.
    session: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        cookie = {"Cookie": f"sessionid={self.session}"} if self.session else {}
        return {**PROXY_HEADERS, **cookie}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("forum pages (--only forum)", __doc__)
    group.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
    group.add_argument("--page-duration", type=float, default=15.0, help="seconds measured per page")
    group.add_argument("--page-warm-up", type=float, default=5.0, help="seconds of load before measuring")
    group.add_argument("--topic-posts", type=int, default=100, help="posts in the measured topic")
    group.add_argument("--category-topics", type=int, default=100, help="topics in the measured category")
    group.add_argument("--feed-stories", type=int, default=100, help="published stories in the measured feed")


def prepare_forum(topics: int, posts: int, stories: int) -> tuple["Forum", "Stories"]:
    """Fill a fresh bench database with the forum and the stories, and collect the static files pages
    link to."""
    servers.use_bench_settings()
    # Django models can only be imported once it is set up.
    from django.core.management import call_command

    from bench.seed import clear_redis, recreate_database, seed_forum, seed_stories

    log("Creating the bench database")
    recreate_database()
    clear_redis()
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    log(f"Seeding a category of {topics} topics and a topic of {posts} posts")
    forum = seed_forum(topics=topics, posts=posts)
    log(f"Seeding {stories} published stories")
    return forum, seed_stories(stories=stories)


def pages_of(forum: "Forum", stories: "Stories") -> list[Page]:
    from django.urls import reverse

    topic = forum.topic_path
    return [
        Page(BARE, reverse("bench-bare")),
        Page("topic, page 1", topic),
        Page("topic, last page", f"{topic}?page={forum.topic_pages}"),
        Page("category", forum.category_path),
        Page("stories feed", stories.feed_path),
        # A member who has read the topic is sent on to where they left off unless they ask for a page.
        Page("topic, page 1, member", f"{topic}?page=1", forum.member_session),
    ]


def count_queries(page: Page) -> int:
    """The queries one request of `page` makes once the one-off work of a first request is done (a
    view counted, a read position stored)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Host": "127.0.0.1", **page.headers})
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code}, not 200.")
    return len(queries)


async def load(
    processes: Processes, deployment: Deployment, page: Page, args: argparse.Namespace, logs: Path
) -> tuple[Load, float]:
    """`page` under load after a warm-up; wrk's figures and the server's CPU share over them."""
    for port in deployment.ports:
        status, location = await status_of(port, page.path, page.headers)
        if status != 200:
            raise RuntimeError(f"{page.path} answered {status} {location}, not 200.")

    async def hammer(seconds: float) -> Load:
        return await request_for(
            processes,
            ports=deployment.ports,
            path=page.path,
            headers=page.headers,
            connections=args.connections,
            seconds=seconds,
            folder=logs,
        )

    if not await deployment.quiesce():
        log(f"  {deployment.name} is still busy; measuring anyway")
    await hammer(args.page_warm_up)
    cpu_before, wall_before = deployment.cpu(), time.monotonic()
    result = await hammer(args.page_duration)
    return result, (deployment.cpu() - cpu_before) / (time.monotonic() - wall_before)


async def measure(
    pages: list[Page], queries: dict[str, int], args: argparse.Namespace, logs: Path
) -> list[PageFigures]:
    figures: list[PageFigures] = []
    async with Processes() as processes:
        deployment = await servers.start(processes, servers.PRODUCTION, logs)
        for page in pages:
            log(f"  {page.name}: {args.connections} connections for {args.page_duration:g} s")
            try:
                result, server_cpu = await load(processes, deployment, page, args, logs)
            except RuntimeError as error:
                log(f"  {page.name} FAILED: {error}; the servers' output is in {logs}")
                continue
            figures.append(
                PageFigures(
                    page=page.name,
                    requests_per_second=result.requests_per_second,
                    p50_ms=result.p50_ms,
                    p99_ms=result.p99_ms,
                    errors=result.errors + result.status_errors,
                    queries=queries[page.name],
                    server_cpu_percent=100 * server_cpu,
                    client_cpu_percent=100 * result.client_cpu / result.seconds,
                )
            )
            log(f"  {page.name}: {figures[-1].line()}")
    return figures


def main(args: argparse.Namespace, logs: Path) -> None:
    """Every page under load, the servers' output going to files in `logs`."""
    require_wrk()
    forum, stories = prepare_forum(args.category_topics, args.topic_posts, args.feed_stories)
    pages = pages_of(forum, stories)
    queries = {page.name: count_queries(page) for page in pages}
    log(f"{servers.PRODUCTION}, forum pages:")
    figures = asyncio.run(measure(pages, queries, args, logs))
    print(page_table(figures, BARE))
    print(
        f"Budget (DESIGN.md): ≥ {3 * SPIRIT_REQUESTS_PER_SECOND} requests/s and p99 ≤ {SPIRIT_P99_MS / 3:.0f} ms "
        f"for the topic page under {args.connections} connections, ≤ {QUERY_BUDGET} queries a page."
    )
