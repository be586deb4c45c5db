"""Settings shared by every environment.

The defaults here are the embedded ones: SQLite and an in-memory channel layer, so that the demo runs
with no service at all. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis.
"""

from typing import Any

import django_stubs_ext
from csp.constants import NONE, SELF

from config.env import BASE_DIR, env

# Lets annotations such as `QuerySet[Network]` and `ModelForm[Network]` run, not only type-check.
django_stubs_ext.monkeypatch()

SECRET_KEY = env("SECRET_KEY", default="convene-insecure-local-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # daphne first, so that `runserver` serves ASGI (HTTP and websockets).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "allauth",
    "allauth.account",
    "taggit",
    "django_countries",
    "profiles",
    "network",
    "realtime",
    "forums",
    "search",
    "stories",
    "moderation",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "moderation.middleware.LiftExpiredSanctionsMiddleware",
]

# Every page runs only its own static scripts and styles (no inline script, handler or style: data
# reaches scripts through `json_script`), connects only back to the site (its websocket included), and
# may not be framed. Avatars and covers are served from the site too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# No page needs the device's sensors, camera or microphone, nor lets a frame use them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "browsing-topics",
    )
}  # fmt: skip

# How often (seconds) each web process ends the mutes and suspensions whose time has passed
# (moderation.middleware); None turns it off.
MODERATION_EXPIRY_INTERVAL: float | None = 15

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forums.context_processors.chat_unread",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Under ASGI every request may run on another thread: persistent connections would leak one per
# thread, so connections are closed after each request (or pooled, in production).
DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL: str | None = env("REDIS_URL", default=None)

CACHES: dict[str, dict[str, Any]]
CHANNEL_LAYERS: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="convene"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 gives up reading after 5 s and fails when a pool holds 100 connections.
                # The layer blocks up to 5 s on BZPOPMIN waiting for a message, and every socket that
                # connects or closes runs its group commands at once; with those defaults a quiet
                # socket is torn down every few seconds and a burst of arrivals is refused
                # (django/channels_redis#422).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "max_connections": 1000}],
                "prefix": env("CHANNEL_PREFIX", default="convene"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Rendered forum posts, in each process's own memory (nearer than Redis, and any process renders a
# missing one again). Each is kept under a digest of everything it shows (forums.views.topics), so
# none is ever invalidated: the least recently used are forgotten when the cache is full.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "forum-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# --- Real time ------------------------------------------------------------------------------------
# Redis pub/sub channels and presence keys start with this, so that several sites can share a Redis.
REALTIME_CHANNEL_PREFIX = env("REALTIME_CHANNEL_PREFIX", default="convene:rt:")
# Frames waiting to be sent to one socket; a client further behind is disconnected and catches up.
REALTIME_OUTBOX_SIZE = env.int("REALTIME_OUTBOX_SIZE", default=1000)
REALTIME_MAX_STREAMS = 50
REALTIME_FRAMES_PER_SECOND = 20.0
REALTIME_FRAME_BURST = 40

# --- Chat -----------------------------------------------------------------------------------------
# A member may send this many messages to one room within this many seconds; None turns the limit off.
CHAT_RATE_LIMIT: tuple[int, int] | None = (5, 5)
CHAT_MESSAGE_MAX_LENGTH = 4000
# Messages per history page of a room.
CHAT_HISTORY_PAGE = 50

# --- Forum ----------------------------------------------------------------------------------------
FORUM_POST_MAX_LENGTH = 32000
FORUM_TITLE_MIN_LENGTH = 5
FORUM_POSTS_PER_PAGE = 20
FORUM_TOPICS_PER_PAGE = 30
# A member may start this many topics, or write this many posts, within this many seconds (per network);
# None turns the limit off.
FORUM_POST_RATE_LIMIT: tuple[int, int] | None = (10, 60)
# A viewer (member, or address for visitors) counts once per topic within this many seconds.
FORUM_VIEW_WINDOW_SECONDS = 8 * 3600

# --- Search ---------------------------------------------------------------------------------------
# The PostgreSQL text search configuration that stems and drops stop words (`\dF` lists them); after
# changing it, `manage.py refresh_search_vectors` indexes the existing entries again.
SEARCH_CONFIG = "english"

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:list"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "profiles.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up says plainly that an address is taken, as members of a professional network expect, and its
# rate limit bounds how fast anyone could probe for addresses. Password reset and log-in never tell
# (profiles.accounts).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_ADAPTER = "profiles.accounts.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "profiles.accounts.PasswordResetForm"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_DISPLAY = "profiles.models.user_display"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Convene] "
# Failed log-ins are throttled per client address and per account tried from that address (allauth
# counts them in the cache), with a slower backstop per account from addresses it never logged in from.
# Reset requests are limited per client address and per email address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "reset_password": env("PASSWORD_RESET_RATE_LIMIT", default="5/m/ip,20/h/ip,3/h/key"),
}
LOGIN_FAILED_ACCOUNT_RATE_LIMIT: str = env("LOGIN_FAILED_ACCOUNT_RATE_LIMIT", default="100/h/key")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Convene <noreply@convene.localhost>")
# Emails sent outside a request (from services, on commit) link back to the site through this address.
SITE_URL: str = env("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads above this are refused before Pillow reads them.
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
STORY_COVER_MAX_BYTES = env.int("STORY_COVER_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

TAGGIT_CASE_INSENSITIVE = True

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers would also print through its default handlers: log each line once.
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}
