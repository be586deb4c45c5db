"""Settings for the test suite: real PostgreSQL and Redis, as in production.

Each pytest-xdist worker gets its own cache and channel prefix so that rate limits and presence keys of
one worker never leak into another's tests.
"""

import os

from config.env import env

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/convene")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
os.environ.setdefault("CACHE_KEY_PREFIX", f"convene-test-{_worker}")
os.environ.setdefault("CHANNEL_PREFIX", f"convene-test-{_worker}")

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Argon2 is the production hasher (see base); tests hash hundreds of passwords, so they use a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=f"/tmp/convene-test-media-{_worker}")
