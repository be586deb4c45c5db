"""How a person is named in the forum's events, chat and topics alike: the same shape wherever an
author appears, so that pages draw them with one piece of code."""

from typing import TypedDict

from profiles.models import User


class AuthorData(TypedDict):
    id: int
    name: str
    handle: str
    url: str


def author_payload(user: User) -> AuthorData:
    return {"id": user.pk, "name": str(user), "handle": user.username, "url": user.get_absolute_url()}
