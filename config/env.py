"""The one place that reads deploy-time configuration from the environment.

Every setting that differs between machines comes through ``env`` here (django-environ), so that
``.env.example`` can list them all and no settings module parses strings by hand. A ``.env`` file
beside ``manage.py`` is read when present; real environment variables win over it.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
