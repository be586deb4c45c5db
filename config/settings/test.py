"""Settings for the test suite: real PostgreSQL and Redis, as in production.

Each pytest-xdist worker gets its own cache and channel prefix so that rate limits and presence keys of
one worker never leak into another's tests.
"""

import os
import tempfile
import uuid
from pathlib import Path

from config.env import env

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/convene")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
# One name per run, which xdist's workers and the servers tests start inherit with the environment: ids
# start again with each run's fresh database, so without it a key an earlier run left in the shared Redis
# (the presence of a socket its server had no time to close) would be read as this run's.
_run = os.environ.setdefault("CONVENE_TEST_RUN", uuid.uuid4().hex[:8])
_prefix = f"convene-test-{_run}-{_worker}"

from config.settings.base import *  # noqa: E402, F403

# The worker's own prefixes are set here, not in the environment: xdist's workers inherit the environment
# of the process that starts them, which would give them all that process's prefixes. A server a worker
# starts inherits its PYTEST_XDIST_WORKER and CONVENE_TEST_RUN, and so computes the same ones.
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default=_prefix)  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = env("CHANNEL_PREFIX", default=_prefix)  # noqa: F405
REALTIME_CHANNEL_PREFIX = env("REALTIME_CHANNEL_PREFIX", default=f"{_prefix}:rt:")

DEBUG = False
# Expiry runs would land their queries in whichever request came at the wrong moment and upset the pages'
# query counts; the tests of moderation.middleware turn it on themselves.
MODERATION_EXPIRY_INTERVAL = None
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Argon2 is the production hasher (see base); tests hash hundreds of passwords, so they use a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path(
    "TEST_MEDIA_ROOT", default=Path(tempfile.gettempdir()) / f"convene-test-media-{_worker}"
)
# Static files are served from the finders (static/ and the apps), as they are: nothing is collected
# before the suite runs, and the browser tests' server still gets its stylesheet and scripts.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
