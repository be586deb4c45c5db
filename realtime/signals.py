"""A tab's socket must stop receiving the moment its session ends, not when it next reconnects."""

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from realtime.services import end_session_sockets


@receiver(user_logged_out, dispatch_uid="realtime.close_sockets_on_logout")
def close_sockets_on_logout(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and request.session.session_key:
        end_session_sockets(session_key=request.session.session_key)
