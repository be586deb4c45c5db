"""The services that build and arrange a compendium: creating it with its chapters, adding chapters,
moving and removing case studies, and what a published version keeps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from network.models import Membership
from stories.models import Compendium, CompendiumChapter, CompendiumEntry
from stories.services import compendiums
from tests.factories import MembershipFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compendium(network, admin) -> Compendium:
    return compendiums.create_compendium(
        actor=admin, network=network, title="CWOF compendium", chapters=["Work setup", "Workplace design"]
    )


def _filled(compendium: Compendium, admin, network, count: int) -> list[CompendiumEntry]:
    chapter = compendium.chapters.first()
    return [
        compendiums.add_to_compendium(
            actor=admin,
            chapter=chapter,
            story=StoryFactory(networks=[network], published=True, title=f"Case {n}"),
        )
        for n in range(count)
    ]


def _titles(chapter: CompendiumChapter) -> list[str]:
    return [entry.story.title for entry in chapter.entries.select_related("story").order_by("position")]


# --- Creating ---------------------------------------------------------------------------------------


def test_blank_lines_are_not_chapters_and_positions_follow_the_lines(network, admin):
    created = compendiums.create_compendium(
        actor=admin, network=network, title="  Best practices ", chapters=["", " Work setup ", "  ", "Design"]
    )

    assert created.title == "Best practices"
    assert list(created.chapters.values_list("title", "position")) == [("Work setup", 1), ("Design", 2)]


def test_a_compendium_needs_a_title_of_its_own_and_chapters_that_differ(network, admin, compendium):
    with pytest.raises(ValidationError) as caught:
        compendiums.create_compendium(actor=admin, network=network, title=" ", chapters=["A", "A"])
    assert set(caught.value.message_dict) == {"title", "chapters"}

    with pytest.raises(ValidationError) as taken:
        compendiums.create_compendium(actor=admin, network=network, title="CWOF compendium", chapters=[])
    assert "already has a compendium with this title" in taken.value.message_dict["title"][0]
    assert Compendium.objects.count() == 1


def test_another_network_may_use_the_same_title(admin, compendium):
    elsewhere = MembershipFactory(user=admin, role=Membership.Role.ADMIN).network

    twin = compendiums.create_compendium(actor=admin, network=elsewhere, title=compendium.title, chapters=[])

    assert twin.network == elsewhere


# --- Chapters ---------------------------------------------------------------------------------------


def test_a_chapter_is_added_at_the_end(admin, compendium):
    chapter = compendiums.add_chapter(actor=admin, compendium=compendium, title=" Workforce management ")

    assert (chapter.title, chapter.position) == ("Workforce management", 3)


def test_a_chapter_needs_a_title_of_its_own(admin, compendium):
    with pytest.raises(ValidationError) as blank:
        compendiums.add_chapter(actor=admin, compendium=compendium, title="  ")
    with pytest.raises(ValidationError) as taken:
        compendiums.add_chapter(actor=admin, compendium=compendium, title="Work setup")

    assert "title" in blank.value.message_dict
    assert "already has a chapter with this title" in taken.value.message_dict["title"][0]
    assert compendium.chapters.count() == 2


def test_only_the_network_s_admins_add_chapters(moderator, compendium):
    stranger = MembershipFactory(role=Membership.Role.ADMIN).user

    for actor in (moderator, stranger):
        with pytest.raises(PermissionDenied):
            compendiums.add_chapter(actor=actor, compendium=compendium, title="More")
    assert compendium.chapters.count() == 2


# --- Moving and removing case studies ---------------------------------------------------------------


def test_moving_a_case_study_swaps_it_with_its_neighbour(network, admin, compendium):
    first, _second, third = _filled(compendium, admin, network, 3)

    moved = compendiums.move_entry(actor=admin, entry=third, direction="up")
    assert _titles(first.chapter) == ["Case 0", "Case 2", "Case 1"]
    assert moved.position == 2

    compendiums.move_entry(actor=admin, entry=first, direction="down")
    assert _titles(first.chapter) == ["Case 2", "Case 0", "Case 1"]
    assert sorted(first.chapter.entries.values_list("position", flat=True)) == [1, 2, 3]


def test_moving_skips_the_gap_left_by_a_removed_case_study(network, admin, compendium):
    first, second, third = _filled(compendium, admin, network, 3)
    compendiums.remove_entry(actor=admin, entry=second)

    compendiums.move_entry(actor=admin, entry=third, direction="up")

    assert _titles(first.chapter) == ["Case 2", "Case 0"]


def test_a_case_study_cannot_move_past_either_end(network, admin, compendium):
    first, last = _filled(compendium, admin, network, 2)

    with pytest.raises(ValidationError, match="already first"):
        compendiums.move_entry(actor=admin, entry=first, direction="up")
    with pytest.raises(ValidationError, match="already last"):
        compendiums.move_entry(actor=admin, entry=last, direction="down")
    assert _titles(first.chapter) == ["Case 0", "Case 1"]


def test_a_move_works_from_a_stale_copy_of_the_entry(network, admin, compendium):
    first, second = _filled(compendium, admin, network, 2)
    stale_second = CompendiumEntry.objects.get(pk=second.pk)
    compendiums.move_entry(actor=admin, entry=first, direction="down")

    # Its copy says it is last; it is first now, so it goes down.
    compendiums.move_entry(actor=admin, entry=stale_second, direction="down")

    assert _titles(first.chapter) == ["Case 0", "Case 1"]


def test_removing_a_case_study_keeps_it_in_published_versions(network, admin, compendium):
    (entry,) = _filled(compendium, admin, network, 1)
    version = compendiums.publish_compendium_version(actor=admin, compendium=compendium)

    compendiums.remove_entry(actor=admin, entry=entry)

    assert not CompendiumEntry.objects.exists()
    version.refresh_from_db()
    assert version.contents["chapters"][0]["entries"][0]["title"] == "Case 0"


def test_only_the_network_s_admins_move_and_remove(network, admin, moderator, compendium):
    first, _second = _filled(compendium, admin, network, 2)

    with pytest.raises(PermissionDenied):
        compendiums.move_entry(actor=moderator, entry=first, direction="down")
    with pytest.raises(PermissionDenied):
        compendiums.remove_entry(actor=moderator, entry=first)
    assert _titles(first.chapter) == ["Case 0", "Case 1"]


# --- Versions ---------------------------------------------------------------------------------------


def test_versions_are_numbered_and_keep_the_order_and_authors_of_their_day(
    network, admin, compendium, member
):
    _first, second = _filled(compendium, admin, network, 2)
    second.story.co_authors.add(member)
    one = compendiums.publish_compendium_version(actor=admin, compendium=compendium)

    compendiums.move_entry(actor=admin, entry=second, direction="up")
    two = compendiums.publish_compendium_version(actor=admin, compendium=compendium)

    def order(version) -> list[str]:
        return [entry["title"] for entry in version.contents["chapters"][0]["entries"]]

    one.refresh_from_db()
    assert (one.number, two.number) == (1, 2)
    assert order(one) == ["Case 0", "Case 1"]
    assert order(two) == ["Case 1", "Case 0"]
    assert str(member) in two.contents["chapters"][0]["entries"][0]["authors"]
    assert one.contents["network"] == network.name
