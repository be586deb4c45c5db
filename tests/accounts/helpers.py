"""Helpers shared by the account-flow tests."""

import re
import secrets

from django.core import mail

PASSWORD = "correct horse battery staple"


def random_ip() -> str:
    """A private address for one test's client, so that per-IP rate limits count that test alone."""
    return "10.{}.{}.{}".format(*(secrets.randbelow(254) + 1 for _ in range(3)))


def link_in_last_email(path_prefix: str) -> str:
    """The path of the link starting with `path_prefix` in the last email sent."""
    body = mail.outbox[-1].body
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", body)
    assert match, f"no link to {path_prefix} in:\n{body}"
    return match.group(1)
