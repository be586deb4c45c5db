"""The kinds of stream apps declare, and who may subscribe to each.

A stream key is `<kind>:<id>` (`chat:12`). The owning app registers the kind once, in its AppConfig's
`ready()`, with a permission rule from its own permissions module, so that subscribing checks the same
rule as the pages do.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from profiles.models import User

AnyUser = User | AnonymousUser


class UnknownStream(ValueError):
    pass


@dataclass(frozen=True)
class StreamKind:
    name: str
    # (user, object id) -> may this user read the stream? Runs in a worker thread: may query.
    can_subscribe: Callable[[AnyUser, str], bool]
    # Whether subscribers are shown to each other ("who is here now").
    presence: bool = False


_kinds: dict[str, StreamKind] = {}


def register_stream_kind(kind: StreamKind) -> None:
    _kinds[kind.name] = kind


def stream_key(kind: str, object_id: int | str) -> str:
    return f"{kind}:{object_id}"


def parse_stream_key(key: str) -> tuple[StreamKind, str]:
    kind_name, sep, object_id = key.partition(":")
    kind = _kinds.get(kind_name)
    if not sep or kind is None or not object_id:
        raise UnknownStream(key)
    return kind, object_id


def can_subscribe(user: AnyUser, key: str) -> bool:
    try:
        kind, object_id = parse_stream_key(key)
    except UnknownStream:
        return False
    return kind.can_subscribe(user, object_id)
