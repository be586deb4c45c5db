"""The events of the stories feed: one stream per network (`stories:<network id>`), on which the feed
page counts the stories published since it loaded ("N new stories").

A `story.published` event carries what the feed's filters look at (kind, language, tags, the author's
region) so that a page showing a filtered feed counts only the stories it would list, and no words of the
story: the page fetches the feed again when the reader asks. Unpublishing a story sends
`story.withdrawn` and empties the tags of its earlier events (subject `story:<id>`), so that a page
catching up later neither counts it nor learns its tags; editing a published story rewrites them to what
it says now, and withdraws it from the networks it is no longer shared with. When its author hides their
country, their stories' events lose the region too.
"""

from collections.abc import Collection
from typing import Any, TypedDict

from profiles.models import User
from profiles.permissions import public_region
from realtime.services import append_event, redact_events
from realtime.streams import stream_key
from stories.models import Story

STREAM_KIND = "stories"

STORY_PUBLISHED = "story.published"
STORY_WITHDRAWN = "story.withdrawn"


class StoryPublishedData(TypedDict):
    id: int
    kind: str
    language: str
    tags: list[str]
    region: str


class StoryWithdrawnData(TypedDict):
    id: int


def network_stream(network_id: int) -> str:
    return stream_key(STREAM_KIND, network_id)


def story_subject(story_id: int) -> str:
    return f"story:{story_id}"


def story_published_payload(story: Story) -> StoryPublishedData:
    """Costs a query each for the language, tags and author's profile when they are not loaded."""
    return {
        "id": story.pk,
        "kind": story.kind,
        "language": story.language.code if story.language is not None else "",
        "tags": sorted(tag.slug for tag in story.tags.all()),
        "region": _public_region(story),
    }


def _public_region(story: Story) -> str:
    """The author's region as everyone may read it: the stream reaches visitors."""
    return public_region(story.author.profile)


def rewrite_author_region(sender: object, *, user: User, **kwargs: Any) -> None:
    """The region everyone may read on `user`'s profile changed (profiles.changes): the stored events of
    their published stories carry it as it is now, so that a replay never shows a region they hid."""
    region = public_region(user.profile)

    def rewrite(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "region": region} if kind == STORY_PUBLISHED else data

    stories = Story.objects.filter(author=user).values_list("pk", flat=True)
    redact_events(subject=[story_subject(story_id) for story_id in stories], redact=rewrite)


def announce_published(story: Story) -> None:
    """Tell every network the story is shared with that it is out; inside the publishing transaction."""
    data = dict(story_published_payload(story))
    for network_id in story.networks.values_list("pk", flat=True):
        append_event(
            stream=network_stream(network_id),
            kind=STORY_PUBLISHED,
            data=data,
            subject=story_subject(story.pk),
        )


def announce_edited(story: Story, *, left: Collection[int], joined: Collection[int]) -> None:
    """A published story was edited: on the streams of the networks it is shared with, its earlier
    events carry what the feed's filters see in it now; the networks it joined hear it published, and
    those it `left` hear it withdrawn, their earlier events emptied of its tags, as if it was unpublished
    there. Inside the editing transaction."""
    # Read again: tags the story had loaded before the edit are not its tags now.
    current = dict(story_published_payload(Story.objects.select_related("author__profile").get(pk=story.pk)))
    shared_with = story.networks.values_list("pk", flat=True)
    redact_events(
        subject=story_subject(story.pk),
        redact=lambda kind, data: {**data, **current} if kind == STORY_PUBLISHED else data,
        streams=[network_stream(network_id) for network_id in shared_with if network_id not in joined],
    )
    for network_id in joined:
        append_event(
            stream=network_stream(network_id),
            kind=STORY_PUBLISHED,
            data=current,
            subject=story_subject(story.pk),
        )
    if not left:
        return
    streams = [network_stream(network_id) for network_id in left]
    redact_events(subject=story_subject(story.pk), redact=_without_tags, streams=streams)
    withdrawn: dict[str, Any] = dict(StoryWithdrawnData(id=story.pk))
    for stream in streams:
        append_event(stream=stream, kind=STORY_WITHDRAWN, data=withdrawn)


def announce_withdrawn(story: Story) -> None:
    redact_events(subject=story_subject(story.pk), redact=_without_tags)
    data: dict[str, Any] = dict(StoryWithdrawnData(id=story.pk))
    for network_id in story.networks.values_list("pk", flat=True):
        append_event(stream=network_stream(network_id), kind=STORY_WITHDRAWN, data=data)


def _without_tags(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "tags": []} if kind == STORY_PUBLISHED else data
