""".env.example documents every environment variable the configuration reads."""

import re

from config.env import BASE_DIR

READS = re.compile(
    r"""\b(?:env(?:\.\w+)?|os\.environ\.(?:get|setdefault)|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# Set by pytest-xdist for each worker, never by a person.
NOT_CONFIGURATION = {"PYTEST_XDIST_WORKER"}


def variables_read() -> set[str]:
    sources = [
        *BASE_DIR.joinpath("config").rglob("*.py"),
        *BASE_DIR.joinpath("bench").rglob("*.py"),
        BASE_DIR / "tests" / "browser" / "conftest.py",
    ]
    return {name for source in sources for name in READS.findall(source.read_text())} - NOT_CONFIGURATION


def test_the_scan_finds_the_configuration():
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CHROMIUM_PATH"} <= variables_read()


def test_every_variable_read_is_documented_with_an_example():
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=\S", (BASE_DIR / ".env.example").read_text(), re.MULTILINE)
    )

    assert variables_read() - documented == set()
