"""The pages of compendiums over HTTP, without JavaScript: who sees what, creating and curating one,
publishing versions, the printable page and the download, bad input, and a fixed number of queries per
page. The `compendium` fixture belongs to `network`, with two chapters and no case study yet."""

import re

import pytest
from django.urls import reverse

from network.models import Membership, Network
from stories.models import Compendium, CompendiumChapter, CompendiumEntry, CompendiumVersion, Story
from stories.services import compendiums as services
from tests.factories import MembershipFactory, StoryFactory, UserFactory
from tests.stories.conftest import signed_in, text
from tests.stories.test_call_views import members_only, other_admin, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def compendium(network, admin) -> Compendium:
    return services.create_compendium(
        actor=admin, network=network, title="CWOF compendium", chapters=["Work setup", "Workplace design"]
    )


def case_study(network: Network, title: str, **fields) -> Story:
    return StoryFactory(networks=[network], published=True, kind=Story.Kind.CASE_STUDY, title=title, **fields)


@pytest.fixture
def entries(network, admin, compendium) -> list[CompendiumEntry]:
    """Three case studies in the first chapter, in order."""
    chapter = compendium.chapters.get(title="Work setup")
    return [
        services.add_to_compendium(actor=admin, chapter=chapter, story=case_study(network, f"Case {n}"))
        for n in range(3)
    ]


def url(compendium: Compendium, name: str = "compendium", *more) -> str:
    return reverse(f"stories:{name}", args=[compendium.network.slug, compendium.pk, *more])


def list_url(network: Network) -> str:
    return reverse("stories:compendiums", args=[network.slug])


def entry_order(chapter: CompendiumChapter) -> list[str]:
    return list(chapter.entries.order_by("position").values_list("story__title", flat=True))


# --- Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member", "admin"])
def test_a_public_network_s_compendiums_and_versions_are_read_by_everyone(
    request, client, admin, compendium, entries, persona
):
    services.publish_compendium_version(actor=admin, compendium=compendium)
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))

    for address in (list_url(compendium.network), url(compendium), url(compendium, "compendium_version", 1)):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "CWOF compendium" in text(response)
    assert client.get(url(compendium, "compendium_download", 1)).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_a_members_only_network_s_compendiums_do_not_exist_for_those_who_cannot_see_it(
    request, client, admin, compendium, entries, persona
):
    services.publish_compendium_version(actor=admin, compendium=compendium)
    members_only(compendium.network)
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))

    for name, more in [("compendium", ()), ("compendium_version", (1,)), ("compendium_download", (1,))]:
        assert client.get(url(compendium, name, *more)).status_code == 404
    assert client.get(list_url(compendium.network)).status_code == 404


def test_the_list_shows_each_compendium_s_latest_version(client, network, admin, compendium, entries):
    services.publish_compendium_version(actor=admin, compendium=compendium)
    services.publish_compendium_version(actor=admin, compendium=compendium)
    services.create_compendium(actor=admin, network=network, title="Hybrid guide", chapters=[])

    page = text(client.get(list_url(network)))

    assert url(compendium, "compendium_version", 2) in page
    assert url(compendium, "compendium_version", 1) not in page
    assert "Hybrid guide" in page
    assert "Not published yet" in page


def test_only_admins_are_offered_to_create_and_curate(client, network, member, admin, compendium, entries):
    signed_in(client, member)
    assert "Create a compendium" not in text(client.get(list_url(network)))
    reader_page = text(client.get(url(compendium)))
    assert "Case 0" in reader_page
    assert "Curate the compendium" not in reader_page
    assert "Move up" not in reader_page

    signed_in(client, admin)
    assert "Create a compendium" in text(client.get(list_url(network)))
    curator_page = text(client.get(url(compendium)))
    assert "Curate the compendium" in curator_page
    assert "Publish version 1" in curator_page
    # The first case study moves only down, the last only up.
    assert curator_page.count("Move up") == curator_page.count("Move down") == 2


def test_unknown_compendiums_versions_and_entries_are_not_found(client, network, admin, compendium, entries):
    services.publish_compendium_version(actor=admin, compendium=compendium)
    other = services.create_compendium(actor=admin, network=network, title="Other", chapters=["One"])
    elsewhere = MembershipFactory(user=admin, role=Membership.Role.ADMIN).network
    signed_in(client, admin)

    assert client.get(url(compendium, "compendium_version", 2)).status_code == 404
    assert client.get(url(compendium, "compendium_download", 2)).status_code == 404
    assert client.get(reverse("stories:compendium", args=[elsewhere.slug, compendium.pk])).status_code == 404
    assert (
        client.get(reverse("stories:compendium", args=[network.slug, compendium.pk + 50])).status_code == 404
    )
    moved = client.post(url(other, "entry_move", entries[0].pk), {"direction": "down"})
    removed = client.post(url(other, "entry_remove", entries[0].pk))
    assert moved.status_code == removed.status_code == 404
    assert CompendiumEntry.objects.count() == 3


# --- Creating ---------------------------------------------------------------------------------------


def test_an_admin_creates_a_compendium_from_the_suggested_chapters(client, network, admin):
    form = text(signed_in(client, admin).get(reverse("stories:compendium_create", args=[network.slug])))
    assert "Work setup\nWorkplace design\nWorkforce management" in form

    response = client.post(
        reverse("stories:compendium_create", args=[network.slug]),
        {"title": "Best practices", "chapters": "Work setup\r\n\r\nWorkplace design\r\nWorkforce management"},
    )

    created = Compendium.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert list(created.chapters.values_list("title", flat=True)) == [
        "Work setup",
        "Workplace design",
        "Workforce management",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " ", "chapters": "Kept chapter"}, "Give the compendium a title."),
        (
            {"title": "CWOF compendium", "chapters": "Kept chapter"},
            "already has a compendium with this title",
        ),
        ({"title": "New", "chapters": "Kept chapter\nKept chapter"}, "two lines are the same"),
    ],
)
def test_bad_compendiums_are_refused_with_the_text_kept(client, network, admin, compendium, fields, message):
    response = signed_in(client, admin).post(
        reverse("stories:compendium_create", args=[network.slug]), fields
    )

    assert response.status_code == 400
    assert message in text(response)
    assert "Kept chapter" in text(response)
    assert Compendium.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "moderator", "champion"])
def test_only_the_network_s_admins_create_compendiums(request, client, network, persona):
    response = signed_in(client, request.getfixturevalue(persona)).post(
        reverse("stories:compendium_create", args=[network.slug]), {"title": "Mine", "chapters": ""}
    )

    assert response.status_code == 403
    assert "Only the network&#x27;s admins may do this." in text(response)
    assert not Compendium.objects.exists()


# --- Curating ---------------------------------------------------------------------------------------


def test_an_admin_adds_a_chapter_and_a_bad_one_is_refused(client, admin, compendium):
    signed_in(client, admin)

    added = client.post(url(compendium, "chapter_add"), {"title": "Workforce management"}, follow=True)
    assert "The chapter “Workforce management” is added." in text(added)

    blank = client.post(url(compendium, "chapter_add"), {"title": "  "})
    taken = client.post(url(compendium, "chapter_add"), {"title": "Work setup"})
    assert blank.status_code == taken.status_code == 400
    assert "Give the chapter a title." in text(blank)
    assert "This compendium already has a chapter with this title." in text(taken)
    assert compendium.chapters.count() == 3


def test_an_admin_adds_a_published_case_study_offered_in_the_select(client, network, admin, compendium):
    chosen = case_study(network, "Creating a maritime workforce")
    practice = StoryFactory(
        networks=[network], published=True, kind=Story.Kind.BEST_PRACTICE, title="A best practice"
    )
    draft = StoryFactory(networks=[network], kind=Story.Kind.CASE_STUDY, title="A draft case study")
    elsewhere = case_study(MembershipFactory().network, "Another network's case study")
    design = compendium.chapters.get(title="Workplace design")
    signed_in(client, admin)

    page = text(client.get(url(compendium)))
    assert chosen.title in page
    assert practice.title in page
    assert draft.title not in page
    assert elsewhere.title not in page

    response = client.post(
        url(compendium, "entry_add"), {"chapter": design.pk, "story": chosen.pk}, follow=True
    )
    assert "“Creating a maritime workforce” is added to “Workplace design”." in text(response)
    assert entry_order(design) == [chosen.title]
    # Once in, it is no longer offered.
    assert f'<option value="{chosen.pk}"' not in text(client.get(url(compendium)))


def test_a_story_that_may_not_join_or_a_missing_chapter_is_refused(client, network, admin, compendium):
    draft = StoryFactory(networks=[network], kind=Story.Kind.CASE_STUDY)
    chosen = case_study(network, "Fine")
    chapter = compendium.chapters.first()
    signed_in(client, admin)

    not_published = client.post(url(compendium, "entry_add"), {"chapter": chapter.pk, "story": draft.pk})
    no_chapter = client.post(url(compendium, "entry_add"), {"chapter": chapter.pk + 99, "story": chosen.pk})

    assert not_published.status_code == no_chapter.status_code == 400
    assert "Choose one of the network&#x27;s published case studies not yet in the compendium." in text(
        not_published
    )
    assert "Select a valid choice." in text(no_chapter)
    assert not CompendiumEntry.objects.exists()


def test_an_admin_moves_case_studies_up_and_down(client, admin, compendium, entries):
    first, _second, third = entries
    signed_in(client, admin)

    up = client.post(url(compendium, "entry_move", third.pk), {"direction": "up"}, follow=True)
    assert "“Case 2” is moved." in text(up)
    assert entry_order(first.chapter) == ["Case 0", "Case 2", "Case 1"]

    client.post(url(compendium, "entry_move", first.pk), {"direction": "down"})
    assert entry_order(first.chapter) == ["Case 2", "Case 0", "Case 1"]


def test_a_move_past_the_end_or_in_no_direction_is_refused(client, admin, compendium, entries):
    signed_in(client, admin)

    edge = client.post(url(compendium, "entry_move", entries[0].pk), {"direction": "up"}, follow=True)
    nowhere = client.post(url(compendium, "entry_move", entries[0].pk), {"direction": "sideways"})

    assert "This case study is already first in its chapter." in text(edge)
    assert nowhere.status_code == 400
    assert "Choose to move the case study up or down." in text(nowhere)
    assert entry_order(entries[0].chapter) == ["Case 0", "Case 1", "Case 2"]


def test_an_admin_removes_a_case_study(client, admin, compendium, entries):
    response = signed_in(client, admin).post(url(compendium, "entry_remove", entries[1].pk), follow=True)

    assert "“Case 1” is taken out of “Work setup”." in text(response)
    assert entry_order(entries[0].chapter) == ["Case 0", "Case 2"]


@pytest.mark.parametrize("persona", ["member", "moderator", "anonymous", "other_admin"])
def test_only_the_network_s_admins_curate(request, client, compendium, entries, persona):
    if persona == "other_admin":
        signed_in(client, other_admin())
    elif persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))
    chapter = entries[0].chapter

    responses = [
        client.post(url(compendium, "chapter_add"), {"title": "More"}),
        client.post(url(compendium, "entry_add"), {"chapter": chapter.pk, "story": entries[0].story.pk}),
        client.post(url(compendium, "entry_move", entries[0].pk), {"direction": "down"}),
        client.post(url(compendium, "entry_remove", entries[0].pk)),
        client.post(url(compendium, "compendium_publish")),
    ]

    expected = 302 if persona == "anonymous" else 403
    assert [response.status_code for response in responses] == [expected] * 5
    if persona != "anonymous":
        assert "Only the network&#x27;s admins may do this." in text(responses[0])
    assert entry_order(chapter) == ["Case 0", "Case 1", "Case 2"]
    assert compendium.chapters.count() == 2
    assert not CompendiumVersion.objects.exists()


# --- Publishing, the printable page and the download ------------------------------------------------


def test_an_empty_compendium_is_not_published(client, admin, compendium):
    response = signed_in(client, admin).post(url(compendium, "compendium_publish"), follow=True)

    assert "Add at least one case study before publishing a version." in text(response)
    assert response.redirect_chain == [(url(compendium), 302)]
    assert not CompendiumVersion.objects.exists()


def test_an_admin_publishes_the_next_version_and_lands_on_it(client, admin, compendium, entries):
    signed_in(client, admin)

    response = client.post(url(compendium, "compendium_publish"), follow=True)

    assert response.redirect_chain == [(url(compendium, "compendium_version", 1), 302)]
    assert "Version 1 is published." in text(response)
    assert "Publish version 2" in text(client.get(url(compendium)))


def test_the_version_page_is_a_printable_document(client, network, admin, compendium, entries, member):
    entries[0].story.co_authors.add(member)
    Story.objects.filter(pk=entries[0].story.pk).update(
        summary="How <we> did it.",
        body_html='<p>See <a href="https://example.org/report">the report</a>.</p>',
    )
    services.publish_compendium_version(actor=admin, compendium=compendium)

    page = text(client.get(url(compendium, "compendium_version", 1)))

    assert "<h1" in page
    assert "CWOF compendium" in page
    assert network.name in page
    assert "Version 1" in page
    assert "Chapter 1. Work setup" in page
    assert "Chapter 2. Workplace design" in page
    assert page.index('href="#chapter-1-1"') < page.index('id="chapter-1-1"')
    assert "How &lt;we&gt; did it." in page
    assert '<a href="https://example.org/report">the report</a>' in page
    assert str(member) in page
    # Its look on screen and paper is a stylesheet of its own, its Print button a script: the
    # Content-Security-Policy runs no inline style or handler.
    assert '/static/css/compendium.css"' in page
    assert "/static/js/print.js" in page
    assert "data-print" in page
    assert "<style" not in page
    assert "onclick" not in page


def test_the_compendium_stylesheet_lays_out_paper(client):
    stylesheet = b"".join(client.get("/static/css/compendium.css").streaming_content).decode()

    assert "@media print" in stylesheet
    assert "break-before: page" in stylesheet
    assert 'content: " (" attr(href) ")"' in stylesheet


def test_the_download_is_one_self_contained_html_file(client, admin, compendium, entries):
    services.publish_compendium_version(actor=admin, compendium=compendium)

    response = client.get(url(compendium, "compendium_download", 1))
    page = text(response)

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cwof-compendium-v1.html"'
    assert page.startswith("<!DOCTYPE html>")
    assert "Case 0" in page
    assert "Chapter 1. Work setup" in page
    assert "<style>" in page
    assert "@media print" in page
    assert "&quot;" not in page.split("<style>")[1].split("</style>")[0]
    assert not re.search(r"<link|<script|<img|\ssrc=|@import|url\(", page)
    assert f"http://testserver{url(compendium, 'compendium_version', 1)}" in page


# --- A fixed number of queries per page -------------------------------------------------------------


def _fill(compendium: Compendium, admin, network: Network, count: int) -> None:
    """`count` more case studies with co-authors spread over the compendium's chapters, then a version."""
    chapters = list(compendium.chapters.all())
    for n in range(count):
        story = case_study(network, f"{compendium.title} case {n}")
        story.co_authors.add(UserFactory())
        services.add_to_compendium(actor=admin, chapter=chapters[n % len(chapters)], story=story)
    services.publish_compendium_version(actor=admin, compendium=compendium)


@pytest.mark.parametrize("persona", ["anonymous", "member", "admin"])
def test_the_compendium_pages_run_the_same_few_queries_for_3_and_30_case_studies(
    request, client, network, admin, persona
):
    if persona != "anonymous":
        signed_in(client, request.getfixturevalue(persona))
    counts = []
    for size in (3, 30):
        compendium = services.create_compendium(
            actor=admin, network=network, title=f"Compendium {size}", chapters=["One", "Two", "Three"]
        )
        _fill(compendium, admin, network, size)
        _fill(compendium, admin, network, 2)
        counts.append(
            (
                len(queries(client, url(compendium))),
                len(queries(client, url(compendium, "compendium_version", 2))),
                len(queries(client, url(compendium, "compendium_download", 2))),
            )
        )

    assert counts[0] == counts[1]
    assert max(counts[0]) <= 8


def test_the_compendium_list_runs_the_same_few_queries_for_2_and_12_compendiums(
    client, network, admin, member
):
    signed_in(client, member)
    counts = []
    for size in (2, 12):
        for n in range(size - Compendium.objects.count()):
            compendium = services.create_compendium(
                actor=admin, network=network, title=f"Compendium {n} of {size}", chapters=["One"]
            )
            if n % 2:
                _fill(compendium, admin, network, 1)
        counts.append(len(queries(client, list_url(network))))

    assert counts[0] == counts[1]
    assert counts[0] <= 8
