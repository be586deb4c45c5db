"""Websocket routes, each wrapped by config.asgi in origin validation and session authentication."""

from django.urls import URLPattern, URLResolver

websocket_urlpatterns: list[URLPattern | URLResolver] = []
