import pytest
from django.core.management import call_command

from demo.stories import CASE_STUDIES, CHAPTERS, COMPENDIUM_TITLE, STORIES
from realtime.models import Event
from stories.models import (
    CaseStudyCall,
    CaseStudySubmission,
    Compendium,
    CompendiumEntry,
    CompendiumVersion,
    Story,
    SubmissionReview,
)

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (
        Story,
        CaseStudyCall,
        CaseStudySubmission,
        SubmissionReview,
        Compendium,
        CompendiumEntry,
        CompendiumVersion,
        Event,
    )
    return tuple(model.objects.count() for model in models)


@pytest.fixture
def seeded(db):
    call_command("seed_demo")


def test_seeding_stories_again_changes_nothing(seeded):
    first = _counts()
    stories = list(Story.objects.order_by("pk").values_list("status", "featured", "updated_at"))

    call_command("seed_demo")

    assert _counts() == first
    assert list(Story.objects.order_by("pk").values_list("status", "featured", "updated_at")) == stories


def test_the_six_case_studies_are_accepted_through_the_forums_call(seeded):
    call = CaseStudyCall.objects.get(network__slug="cwof")
    case_studies = Story.objects.filter(kind=Story.Kind.CASE_STUDY)

    assert call.state == CaseStudyCall.State.CLOSED
    assert case_studies.count() == len(CASE_STUDIES) == 6
    assert not case_studies.exclude(status=Story.Status.PUBLISHED).exists()
    assert not case_studies.exclude(networks__slug="cwof").exists()
    assert set(case_studies.values_list("author__username", flat=True)) == {
        "aroha.ngata", "chinedu.okafor", "claire.tremblay", "aino.virtanen", "noura.alqahtani", "priya.ramgoolam",
    }  # fmt: skip
    submissions = CaseStudySubmission.objects.filter(call=call)
    assert set(submissions.values_list("state", flat=True)) == {CaseStudySubmission.State.ACCEPTED}
    assert set(submissions.values_list("story", flat=True)) == set(case_studies.values_list("pk", flat=True))
    # One went back once for its lessons learned, and was accepted in its second round.
    returned = submissions.get(round=2)
    assert list(returned.reviews.values_list("round", "decision")) == [(1, "return"), (2, "accept")]
    assert "## Lessons learned" in returned.story.body
    assert ">Lessons learned</h" in returned.story.body_html


def test_the_compendium_holds_the_case_studies_in_its_chapters_as_version_1(seeded):
    compendium = Compendium.objects.get(network__slug="cwof", title=COMPENDIUM_TITLE)

    assert [chapter.title for chapter in compendium.chapters.all()] == list(CHAPTERS)
    assert {
        chapter.title: [entry.story.title for entry in chapter.entries.all()]
        for chapter in compendium.chapters.all()
    } == {title: [case.story.title for case in CASE_STUDIES if case.chapter == title] for title in CHAPTERS}
    (version,) = compendium.versions.all()
    assert version.number == 1
    frozen = {chapter["title"]: len(chapter["entries"]) for chapter in version.contents["chapters"]}
    assert frozen == {"Work setup": 1, "Workplace design": 2, "Workforce management": 3}


def test_champions_publish_inspirational_stories_with_tags_languages_and_two_featured(seeded):
    stories = Story.objects.filter(kind__in=[Story.Kind.STORY, Story.Kind.BEST_PRACTICE])

    assert stories.count() == len(STORIES)
    assert not stories.exclude(status=Story.Status.PUBLISHED).exists()
    assert stories.filter(networks__slug="gender-equality").count() >= 4
    assert stories.filter(tags__name="well-being").count() >= 3
    assert set(stories.values_list("language__code", flat=True)) == {"en", "fr", "es"}
    for story in Story.objects.all():
        assert story.tags.exists()
        assert story.body_html
        roles = set(
            story.author.memberships.filter(network__in=story.networks.all()).values_list("role", flat=True)
        )
        assert roles & {"champion", "admin"}, story.title
    featured = Story.objects.filter(featured=True)
    assert featured.count() == 2
    assert not featured.exclude(status=Story.Status.PUBLISHED).exists()


def test_the_demo_stories_appear_in_the_public_feeds(seeded, client):
    rss = client.get("/stories/rss/").content.decode()
    network_rss = client.get("/networks/gender-equality/stories/rss/").content.decode()
    tagged = client.get("/stories/tags/well-being/atom/").content.decode()

    assert "Creating a maritime workforce (New Zealand)" in rss
    assert "Inspectrices des douanes : ouvrir la voie en Afrique de l&amp;#x27;Ouest" in network_rss
    assert "Well-being at Work — taking care of our human capital" in tagged
