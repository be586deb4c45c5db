"""Settings of the servers under benchmark: production's, on a private database, with what the bench needs.

The servers run exactly what a deployment runs (DEBUG off, PostgreSQL through psycopg's pool, Redis for
the cache, the channel layer and pub/sub); only the addresses and the chat rate limit differ, and one
URL is added: the bare page that page benchmarks measure as their floor.

The database is the bench's own, named by BENCH_DATABASE_URL and never by DATABASE_URL: a run drops and
recreates it, so it must not be one a developer or the test suite works in. The Redis prefixes are the
bench's own too, so that a run never mixes with tests running at the same time.
"""

import os
import tempfile
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/convene_bench"

os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["SITE_URL"] = "http://127.0.0.1"
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Redis pub/sub channels are shared by every database number: prefixes keep the bench's apart.
os.environ["CACHE_KEY_PREFIX"] = "convene-bench"
os.environ["CHANNEL_PREFIX"] = "convene-bench"
os.environ["REALTIME_CHANNEL_PREFIX"] = "convene-bench:rt:"

from config.settings.production import *  # noqa: E402, F403

# One sender posts 10 to 20 messages a second to the room, far above what a person is allowed.
CHAT_RATE_LIMIT = None

# The product's URLs, plus the bare view that page benchmarks are divided by (bench/urls.py).
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
# Pages need the manifest `collectstatic` writes; the bench's own copy, so that a run leaves the
# checkout's `staticfiles/` alone.
STATIC_ROOT = Path(tempfile.gettempdir()) / "convene-bench-static"
