"""In production, WhiteNoise serves the collected, fingerprinted and compressed static files."""

from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_whitenoise_serves_the_collected_stylesheet(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # As in production: only what collectstatic wrote is served.
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()

    plain = client.get("/static/css/convene.css")
    fingerprinted_url = static("css/convene.css")
    fingerprinted = client.get(fingerprinted_url, headers={"accept-encoding": "gzip"})

    assert plain.status_code == 200
    assert b":root" in body(plain)
    assert fingerprinted_url != "/static/css/convene.css"
    assert fingerprinted.status_code == 200
    assert fingerprinted["Content-Encoding"] == "gzip"
    assert "immutable" in fingerprinted["Cache-Control"]
