"""Several real ASGI servers at once, for tests where processes share PostgreSQL and Redis and one of
them may die. Each is daphne serving config.asgi with the test settings on the database pytest-django
created, started the way the browser tests start theirs (tests/browser/conftest.py); the test must use
`transactional_db`, so that what it writes is committed and the servers see it.
"""

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from config.env import BASE_DIR
from tests.browser.conftest import free_port, session_database_url, wait_until_serving


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def kill(self) -> None:
        """End the process at once, as a crash would: no goodbye to its clients."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_servers(count: int, log_dir: Path, **environment: str) -> list[Server]:
    """Start `count` servers with the same environment and return once all of them serve pages."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": session_database_url(),
        **environment,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    started = []
    for _ in range(count):
        port = free_port()
        with (log_dir / f"daphne-{port}.log").open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "config.asgi:application",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started.append(Server(port=port, process=process))
    for server in started:
        wait_until_serving(
            f"{server.http_url}/accounts/login/", server.process, log_dir / f"daphne-{server.port}.log"
        )
    return started
