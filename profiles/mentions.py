"""`@handle` mentions in members' Markdown: who a text names, and where each name links to.

Chat messages and forum posts both render mentions; the reading of the text is richtext's (a handle in
code is not a mention), the lookup of handles is here, in one query.
"""

from collections.abc import Mapping

from django.db.models.functions import Lower

from profiles.models import User
from richtext import mentioned_handles


def resolve_mentions(text: str) -> dict[str, User]:
    """The active people `text` mentions, by lowercase handle; unknown handles are left out."""
    handles = mentioned_handles(text)
    if not handles:
        return {}
    people = User.objects.annotate(handle=Lower("username")).filter(handle__in=handles, is_active=True)
    return {person.username.lower(): person for person in people}


def mention_links(people: Mapping[str, User]) -> dict[str, str]:
    """What richtext.render_markdown takes as `mentions`: each lowercase handle's profile address."""
    return {handle: person.get_absolute_url() for handle, person in people.items()}
