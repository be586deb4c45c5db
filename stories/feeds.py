"""Syndication feeds of published stories: the whole feed, one network's and one tag's, each in RSS 2.0
and in Atom.

Feed readers fetch without signing in, so a feed lists what an anonymous visitor may read
(`published_stories_q` for an anonymous user) and a members-only network has no feed. A feed holds the
latest stories by publication date; featuring orders the feed page, not a reader's list of news.

An entry's id is the story's short address (`/stories/<id>/`), which no change of title moves, so that
readers do not show an edited story as a new one.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.db.models import Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from taggit.models import Tag

import richtext
from network.models import Network
from network.permissions import visible_networks_q
from stories import schedule
from stories.models import Story
from stories.permissions import published_stories_q

FEED_LENGTH = 30
# Words of a story's text that stand in for a summary its author did not write.
EXCERPT_WORDS = 60
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with each story's whole text in `content:encoded`, beside the summary in `description`."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(Atom1Feed):
    """Atom with each story's whole text in `content`, beside the summary."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class Source:
    """What one feed lists and says about itself, and the site's origin (`https://host`) that its
    entries' ids are made absolute with."""

    title: str
    description: str
    link: str
    stories: Q
    origin: str


@dataclass(frozen=True)
class Entry:
    story: Story
    guid: str


class StoriesFeed(Feed[Entry, Source]):
    """What every stories feed shares; subclasses say which stories (the Source `get_object` returns)
    and in which format."""

    # Whether the format's readers take its text (titles, descriptions, names, categories) for HTML.
    text_is_html = False

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Readers poll feeds as people visit the feed page: a site without the scheduling job sends the
        # due stories out then too (stories.schedule), so that a feed is never behind the page.
        schedule.publish_if_due()
        return super().__call__(request, *args, **kwargs)

    def as_text(self, value: str) -> str:
        """`value`, which names a network, a tag or a member, or was written by one, as the format's
        readers should show it: escaped where they read HTML, so that it shows and never runs."""
        return escape(value) if self.text_is_html else value

    def title(self, source: Source) -> str:
        return self.as_text(source.title)

    def description(self, source: Source) -> str:
        return self.as_text(source.description)

    def subtitle(self, source: Source) -> str:
        return self.as_text(source.description)

    def link(self, source: Source) -> str:
        return source.link

    def items(self, source: Source) -> list[Entry]:
        stories = list(
            Story.objects.filter(published_stories_q(AnonymousUser()), source.stories)
            .select_related("author")
            .order_by("-published_at", "-id")[:FEED_LENGTH]
        )
        prefetch_related_objects(stories, "tags")
        return [
            Entry(story, source.origin + reverse("stories:detail_short", args=[story.pk]))
            for story in stories
        ]

    def item_title(self, entry: Entry) -> str:
        return self.as_text(entry.story.title)

    def item_description(self, entry: Entry) -> str:
        story = entry.story
        text = story.summary or Truncator(richtext.plain_text(story.body_html)).words(EXCERPT_WORDS)
        # A description is HTML in both formats: the summary is text, so it is escaped.
        return escape(text)

    def item_link(self, entry: Entry) -> str:
        return entry.story.get_absolute_url()

    def item_guid(self, entry: Entry) -> str:
        return entry.guid

    def item_guid_is_permalink(self, entry: Entry) -> bool:
        return True

    def item_author_name(self, entry: Entry) -> str:
        return self.as_text(str(entry.story.author))

    def item_pubdate(self, entry: Entry) -> datetime | None:
        return entry.story.published_at

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.story.updated_at

    def item_categories(self, entry: Entry) -> list[str]:
        return [self.as_text(tag.name) for tag in entry.story.tags.all()]

    def item_extra_kwargs(self, entry: Entry) -> dict[str, Any]:
        # Rendered from Markdown and sanitized when the story was written.
        return {"content": entry.story.body_html}


class Rss(StoriesFeed):
    feed_type = RssWithContent
    # Most RSS readers show an item's title and a channel's title and description as HTML: Django's
    # reason to escape item titles by default.
    text_is_html = True


class Atom(StoriesFeed):
    # Atom's titles, subtitle and names are text, as this feed does not say otherwise.
    feed_type = AtomWithContent


def _feed_page(**filters: str) -> str:
    """The feed page that shows what a feed lists, narrowed by its filters."""
    return f"{reverse('stories:feed')}?{urlencode(filters)}"


def origin_of(request: HttpRequest) -> str:
    """`https://host`, as Django's feeds make their links absolute."""
    return add_domain(get_current_site(request).domain, "", request.is_secure())


class LatestStories(StoriesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Source:
        return Source(
            title=_("Convene stories"),
            description=_("The latest stories, case studies and best practices published on Convene."),
            link=reverse("stories:feed"),
            stories=Q(),
            origin=origin_of(request),
        )


class NetworkStories(StoriesFeed):
    def get_object(self, request: HttpRequest, *args: Any, network_slug: str, **kwargs: Any) -> Source:
        network = get_object_or_404(
            Network.objects.filter(visible_networks_q(AnonymousUser())), slug=network_slug
        )
        return Source(
            title=_("Stories of %(network)s") % {"network": network.name},
            description=_("The latest stories published in %(network)s.") % {"network": network.name},
            link=_feed_page(network=network.slug),
            stories=Q(networks=network),
            origin=origin_of(request),
        )


class TagStories(StoriesFeed):
    def get_object(self, request: HttpRequest, *args: Any, tag: str, **kwargs: Any) -> Source:
        # A tag is known by the stories anyone may read: one only found on members-only stories, or on
        # profiles, is not revealed by its feed.
        found = get_object_or_404(
            Tag.objects.filter(
                pk__in=Story.objects.filter(published_stories_q(AnonymousUser())).values("tags")
            ),
            slug=tag,
        )
        return Source(
            title=_("Stories tagged %(tag)s") % {"tag": found.name},
            description=_("The latest stories tagged %(tag)s on Convene.") % {"tag": found.name},
            link=_feed_page(tag=found.slug),
            stories=Q(tags=found),
            origin=origin_of(request),
        )


class LatestStoriesRss(LatestStories, Rss):
    pass


class LatestStoriesAtom(LatestStories, Atom):
    pass


class NetworkStoriesRss(NetworkStories, Rss):
    pass


class NetworkStoriesAtom(NetworkStories, Atom):
    pass


class TagStoriesRss(TagStories, Rss):
    pass


class TagStoriesAtom(TagStories, Atom):
    pass
