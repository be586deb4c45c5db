"""What a page catching up on a stream from its start receives, and what of it a page must show.

A stream is replayed from any point to whoever may follow it (realtime.consumers: may they subscribe,
then every stored event after `since`), so what its stored events carry must never exceed what the page
shows its least privileged reader. These helpers let a test compare the two for one reader.
"""

import json

import pytest
from django.utils.html import escape

from realtime.selectors import events_after
from realtime.streams import can_subscribe


@pytest.fixture
def reader(request):
    """The person named by the test's indirect `reader` parameter (the name of a fixture):
    `@pytest.mark.parametrize("reader", ["anonymous", "member"], indirect=True)`."""
    return request.getfixturevalue(request.param)


def replayed(reader, stream: str) -> list[dict] | None:
    """The event frames a page of `reader` that subscribes to `stream` with `since: 0` receives, in
    order; None when `reader` may not follow `stream`."""
    if not can_subscribe(reader, stream):
        return None
    frames: list[dict] = []
    while batch := events_after(stream=stream, after=frames[-1]["seq"] if frames else 0):
        frames += [json.loads(frame) for _seq, frame in batch]
    return frames


def replayed_text(reader, stream: str) -> str:
    """All that the replay of `stream` to `reader` holds, as one string to search for words."""
    return json.dumps(replayed(reader, stream) or [], ensure_ascii=False)


def shown_pieces(frames: list[dict]) -> list[str]:
    """What the events carry of the content, each as the page prints it: the rendered text of posts and
    messages, the titles and addresses of topics, a moderators' reason (escaped, as pages print text),
    and the stories with their tags (the card of the story, and a link to each tag)."""
    pieces: list[str] = []
    for frame in frames:
        data = frame["data"]
        pieces += [data[key] for key in ("body_html", "url", "into_url") if data.get(key)]
        pieces += [escape(data[key]) for key in ("title", "reason") if data.get(key)]
        if frame["kind"] == "story.published" and data["tags"]:
            pieces.append(f'data-story-id="{data["id"]}"')
            pieces += [f"?tag={tag}" for tag in data["tags"]]
    return pieces


def page_as(client, reader, url: str) -> str:
    """The page at `url` as `reader` reads it (signed in, unless anonymous), which must be readable."""
    if reader.is_authenticated:
        client.force_login(reader)
    else:
        client.logout()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def beyond_the_page(frames: list[dict] | None, page: str) -> list[str]:
    """What the replayed `frames` carry that `page` does not show (nothing, as it should be)."""
    return [piece for piece in shown_pieces(frames or []) if piece not in page]
