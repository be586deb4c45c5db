"""Browser tests: the system's Chromium, driven by Playwright, against Convene served by daphne.

The server is a real daphne process (the ASGI server of production) on a free loopback port, started
once per test session and pointed at the session's test database. Every test that uses a browser runs
with real commits (the `browser` fixture asks for `transactional_db`), so that the server sees its data.

Playwright's synchronous API runs an asyncio loop in the test's thread while it is started, and Django
refuses ORM calls from a thread with a running loop. So Playwright is started for each test and stopped
after it, and only while it runs are synchronous ORM calls from the test declared safe (they are: the
loop is Playwright's, not ours).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, connections
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from config.env import BASE_DIR

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SERVER_START_TIMEOUT = 30.0


def chromium_executable() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"The browser tests need Chromium at {path}. Install the OS package "
            "(`make browser`, or `sudo apt-get install chromium`) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def session_database_url() -> str:
    """The URL of the database pytest-django created for this session (and this xdist worker)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"daphne exited with {server.returncode}:\n{log.read_text()}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(
        f"daphne did not serve {url} within {SERVER_START_TIMEOUT}s:\n{log.read_text()}", pytrace=False
    )


def wait_until_disconnected() -> None:
    """Wait for PostgreSQL to end the server's sessions, which it does a moment after the process exits:
    the test database can only be dropped once no one else is connected to it."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone() == (0,):
                break
            time.sleep(0.1)
    connection.close()


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """Convene served by daphne on 127.0.0.1, using the test database; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": session_database_url(),
    }
    # The server keeps Django's guard against ORM calls inside its event loop.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base_url}/accounts/login/", server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        with django_db_blocker.unblock():
            wait_until_disconnected()


def watch_for_policy_violations(
    chromium: Browser, monkeypatch: pytest.MonkeyPatch, violations: list[str]
) -> None:
    """Collect in `violations` the Content-Security-Policy violations that Chromium reports on the
    console of any page of any context the test opens: a page that needs an inline script or style, or a
    source the policy does not allow, does not work as it should for members."""
    open_context, open_page = chromium.new_context, chromium.new_page

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url')}: {message.text}")

    def new_context(**options: Any) -> BrowserContext:
        context = open_context(**options)
        context.on("console", note)
        return context

    def new_page(**options: Any) -> Page:
        page = open_page(**options)
        page.context.on("console", note)
        return page

    monkeypatch.setattr(chromium, "new_context", new_context)
    monkeypatch.setattr(chromium, "new_page", new_page)


@pytest.fixture
def policy_violations() -> list[str]:
    """What the Content-Security-Policy refused in this test's browser; any left fails the test."""
    return []


@pytest.fixture
def browser(transactional_db, monkeypatch, policy_violations) -> Iterator[Browser]:
    executable = chromium_executable()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        watch_for_policy_violations(chromium, monkeypatch, policy_violations)
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's loop runs, Django keeps this thread's connections apart from the ones
            # it has once the loop stops: close them now, or they would outlive the test database.
            connections.close_all()
    if policy_violations:
        refused = "\n".join(policy_violations)
        pytest.fail(f"The Content-Security-Policy refused:\n{refused}", pytrace=False)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        yield context.new_page()
    finally:
        context.close()
