"""Run Django in a fresh interpreter with exactly the environment a test gives it.

Settings are read once per process, and the test process itself runs config.settings.test, so each
configuration is checked in a subprocess whose environment holds nothing but what the test sets.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from config.env import BASE_DIR


def production_environment(**overrides: str) -> dict[str, str]:
    """The variables .env.example documents as required in production, with realistic values."""
    environment = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "convene.example",
        "CSRF_TRUSTED_ORIGINS": "https://convene.example",
        "SITE_URL": "https://convene.example",
        "DATABASE_URL": "postgres://convene:secret@db.convene.example:5432/convene",
        "REDIS_URL": "redis://cache.convene.example:6379/0",
        "EMAIL_URL": "smtp+tls://convene:secret@mail.convene.example:587",
        "DEFAULT_FROM_EMAIL": "Convene <noreply@convene.example>",
    }
    environment.update(overrides)
    return environment


def run_django(
    settings_module: str, environment: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Run `python <args>` from the project directory with only `environment` (and PATH, HOME) set."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": settings_module,
        **environment,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120
    )


def read_settings(
    settings_module: str, environment: dict[str, str], expressions: dict[str, str]
) -> dict[str, Any]:
    """Evaluate each expression (over `settings`) in a fresh process; return the values by name."""
    body = ", ".join(f"{name!r}: {expression}" for name, expression in expressions.items())
    script = f"import json; from django.conf import settings; print(json.dumps({{{body}}}, default=str))"
    result = run_django(settings_module, environment, "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
