"""The ASGI entry point: HTTP through Django, websockets through Channels.

Websockets are accepted only from the site's own pages (realtime.middleware.SameOriginValidator: the
exact origin, scheme and port included) and carry the session's user.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# Django must be set up before the consumers and their models are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from realtime.middleware import KeepServerSend, SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(
            KeepServerSend(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
