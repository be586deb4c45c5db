"""Production: PostgreSQL and Redis required, HTTPS behind a proxy, mail over SMTP.

Every value comes from the environment (see `.env.example`); a missing required one stops start-up
with a clear error from django-environ rather than running with an unsafe default.
"""

from config.settings.base import *  # noqa: F403

SECRET_KEY = env("SECRET_KEY")  # noqa: F405
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # noqa: F405
# Links in emails sent outside a request (on commit) must point at the public site, never localhost.
SITE_URL = env("SITE_URL").rstrip("/")  # noqa: F405

DATABASES = {"default": env.db("DATABASE_URL")}  # noqa: F405
# psycopg's pool keeps connections open across requests without tying one to each ASGI thread.
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
    "min_size": env.int("DATABASE_POOL_MIN", default=2),  # noqa: F405
    "max_size": env.int("DATABASE_POOL_MAX", default=10),  # noqa: F405
}
# Required: base.py has already pointed the cache and the channel layer at it when it is set.
REDIS_URL = env("REDIS_URL")  # noqa: F405

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405

EMAIL_CONFIG = env.email_url("EMAIL_URL")  # noqa: F405
vars().update(EMAIL_CONFIG)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the proxy every request comes from its address: rate limits (failed log-ins, sign-ups) must
# count the client address the proxy appends to X-Forwarded-For, or they would throttle everyone at once.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)  # noqa: F405
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
