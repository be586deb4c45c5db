"""Each settings module does what the README promises: an embedded default that needs no service,
and a production configuration that passes Django's deployment checks and refuses unsafe gaps."""

import pytest

from tests.config.helpers import production_environment, read_settings, run_django

BACKENDS = {
    "database": "settings.DATABASES['default']['ENGINE']",
    "cache": "settings.CACHES['default']['BACKEND']",
    "cache_location": "settings.CACHES['default'].get('LOCATION')",
    "cache_prefix": "settings.CACHES['default'].get('KEY_PREFIX')",
    "channel_layer": "settings.CHANNEL_LAYERS['default']['BACKEND']",
}
REQUIRED_IN_PRODUCTION = ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]


def test_with_no_configuration_the_base_settings_need_no_service():
    backends = read_settings("config.settings.base", {}, BACKENDS)

    assert backends == {
        "database": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "cache_location": None,
        "cache_prefix": None,
        "channel_layer": "channels.layers.InMemoryChannelLayer",
    }


def test_database_url_and_redis_url_switch_to_postgresql_and_redis():
    environment = {
        "DATABASE_URL": "postgres://convene@127.0.0.1:5432/convene",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
    }

    backends = read_settings("config.settings.base", environment, BACKENDS)

    assert backends == {
        "database": "django.db.backends.postgresql",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "cache_location": "redis://127.0.0.1:6379/3",
        "cache_prefix": "convene",
        "channel_layer": "channels_redis.core.RedisChannelLayer",
    }


def test_the_local_settings_run_in_debug_and_print_emails():
    local = read_settings(
        "config.settings.local", {}, {"debug": "settings.DEBUG", "email": "settings.EMAIL_BACKEND"}
    )

    assert local == {"debug": True, "email": "django.core.mail.backends.console.EmailBackend"}


def test_production_passes_the_deployment_checks_without_a_warning():
    result = run_django(
        "config.settings.production", production_environment(), "manage.py", "check", "--deploy"
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize("variable", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_a_required_variable(variable):
    environment = production_environment()
    del environment[variable]

    result = run_django("config.settings.production", environment, "manage.py", "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {variable} environment variable" in result.stderr


def test_production_uses_the_real_services_and_secure_defaults():
    production = read_settings(
        "config.settings.production",
        production_environment(),
        {
            "debug": "settings.DEBUG",
            "hasher": "settings.PASSWORD_HASHERS[0]",
            "database": "settings.DATABASES['default']['ENGINE']",
            "pool": "settings.DATABASES['default']['OPTIONS']['pool']",
            "cache": "settings.CACHES['default']['BACKEND']",
            "channel_layer": "settings.CHANNEL_LAYERS['default']['BACKEND']",
            "email": "settings.EMAIL_BACKEND",
            "smtp": "[settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS]",
            "static": "settings.STORAGES['staticfiles']['BACKEND']",
            "ssl_redirect": "settings.SECURE_SSL_REDIRECT",
            "proxies": "settings.ALLAUTH_TRUSTED_PROXY_COUNT",
            "site_url": "settings.SITE_URL",
        },
    )

    assert production == {
        "debug": False,
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "database": "django.db.backends.postgresql",
        "pool": {"min_size": 2, "max_size": 10},
        "cache": "django.core.cache.backends.redis.RedisCache",
        "channel_layer": "channels_redis.core.RedisChannelLayer",
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "smtp": ["mail.convene.example", 587, True],
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "ssl_redirect": True,
        "proxies": 1,
        "site_url": "https://convene.example",
    }
