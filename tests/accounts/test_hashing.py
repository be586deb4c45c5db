"""Passwords are stored with Argon2 wherever real people log in; only the test suite uses a fast hasher."""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from config.settings import base

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_base_settings_hash_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == ARGON2


def test_argon2_hashes_and_verifies_a_password():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("correct horse battery staple")

        assert encoded.startswith("argon2$")
        assert check_password("correct horse battery staple", encoded)
        assert not check_password("another password", encoded)


def test_the_test_suite_uses_a_fast_hasher():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
