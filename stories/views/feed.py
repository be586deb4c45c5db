"""The stories feed page: filters in the query string, one page of cards, and a link to older stories.

It works without JavaScript (the filters are a GET form, paging is a link). static/js/stories.js follows
the stories streams of the networks the page shows and counts, in a "N new stories — show" bar, the
stories published since the page loaded that its filters would list.

Visiting the page also publishes the scheduled stories whose time has come (stories.schedule), so that a
site without a cron job still sends them out.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.fragments import rendered_fragments
from network.permissions import AnyUser
from stories import schedule
from stories.forms.feed import FeedFilterForm
from stories.selectors import feed as selectors
from stories.selectors.feed import FeedChoices, FeedFilters

# A page following more streams than this shows no live count: each socket follows a bounded number of
# streams (REALTIME_MAX_STREAMS), and the rest of the page may need some.
MAX_FOLLOWED_NETWORKS = settings.REALTIME_MAX_STREAMS // 2


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    viewer: AnyUser = request.user
    schedule.publish_if_due()
    choices = selectors.feed_choices(viewer=viewer)
    form = FeedFilterForm(request.GET, choices=choices)
    if not form.is_valid():
        refusal = {"title": _("These stories cannot be shown"), "reason": form.first_error()}
        return render(request, "error.html", refusal, status=400)
    filters = form.filters()
    page = selectors.feed_page(viewer=viewer, filters=filters, after=form.cursor())
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "is_filtered": filters != FeedFilters(),
        "page": page,
        # The cards' HTML is shared by every viewer the same card is shown to (see config.fragments).
        "cards": rendered_fragments("stories/_story_card.html", "story", page.cards, {}),
        "syndication": _syndication_links(filters),
        "live": _live_config(request, choices, filters) if page.is_first_page else None,
    }
    return render(request, "stories/feed.html", context)


def _syndication_links(filters: FeedFilters) -> list[dict[str, str]]:
    """The RSS and Atom feeds of what the page shows: the whole feed, and the network's or the tag's
    when the page is narrowed to one."""
    links = [
        {"type": "application/rss+xml", "title": _("All stories (RSS)"), "url": reverse("stories:rss")},
        {"type": "application/atom+xml", "title": _("All stories (Atom)"), "url": reverse("stories:atom")},
    ]
    if filters.network is not None:
        name = filters.network.name
        links += [
            {
                "type": "application/rss+xml",
                "title": _("Stories of %(name)s (RSS)") % {"name": name},
                "url": reverse("stories:network_rss", args=[filters.network.slug]),
            },
            {
                "type": "application/atom+xml",
                "title": _("Stories of %(name)s (Atom)") % {"name": name},
                "url": reverse("stories:network_atom", args=[filters.network.slug]),
            },
        ]
    if filters.tag is not None:
        rss, atom = (reverse(f"stories:tag_{kind}", args=[filters.tag.slug]) for kind in ("rss", "atom"))
        name = filters.tag.name
        links += [
            {
                "type": "application/rss+xml",
                "title": _("Stories tagged %(name)s (RSS)") % {"name": name},
                "url": rss,
            },
            {
                "type": "application/atom+xml",
                "title": _("Stories tagged %(name)s (Atom)") % {"name": name},
                "url": atom,
            },
        ]
    return links


def _live_config(request: HttpRequest, choices: FeedChoices, filters: FeedFilters) -> dict[str, Any] | None:
    """What static/js/stories.js needs to count new stories on the first page, or None when it cannot.

    The events carry a story's kind, language, tags and its author's public region, so those filters are
    applied to the count; they do not name the author, so a page of one person's stories is not followed
    rather than counting everyone's.
    """
    if filters.author is not None:
        return None
    followed = [choice for choice in choices.networks if filters.network in (None, choice.network)]
    if not followed or len(followed) > MAX_FOLLOWED_NETWORKS:
        return None
    return {
        "streams": [{"stream": choice.stream, "lastSeq": choice.last_seq} for choice in followed],
        "filters": {
            "kind": filters.kind,
            "language": filters.language.code if filters.language is not None else "",
            "tag": filters.tag.slug if filters.tag is not None else "",
            "region": filters.region,
        },
        "feedUrl": request.get_full_path(),
        "strings": {"newOne": _("1 new story — show"), "newMany": _("%(count)s new stories — show")},
    }
