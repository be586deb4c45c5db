"""`@handle` mentions in rendered Markdown: found in prose, never in code or in a link's text."""

import pytest

from richtext import mentioned_handles, render_markdown

LINKS = {"amina": "/people/amina/", "j.doe": "/people/j.doe/"}


def test_a_known_handle_becomes_a_link_to_its_profile_whatever_its_case():
    html = render_markdown("Thanks @Amina!", LINKS)
    assert (
        html
        == '<p>Thanks <a href="/people/amina/" class="mention" rel="nofollow ugc noopener">@Amina</a>!</p>\n'
    )


@pytest.mark.parametrize(
    "source",
    ["`@amina`", "    @amina", "[ask @amina](https://example.org)", "write to team@amina.org", "@nobody"],
    ids=["code span", "code block", "link text", "email address", "unknown handle"],
)
def test_no_link_where_a_handle_is_not_a_mention(source):
    assert 'class="mention"' not in render_markdown(source, LINKS)


def test_trailing_punctuation_is_not_part_of_the_handle():
    html = render_markdown("Ask @j.doe. Or @amina-", LINKS)
    assert '<a href="/people/j.doe/" class="mention" rel="nofollow ugc noopener">@j.doe</a>.' in html
    assert ">@amina</a>-" in html


def test_a_source_cannot_forge_a_mention_link():
    html = render_markdown('<a class="mention" href="https://evil.example">x</a>', LINKS)
    assert "<a " not in html


def test_without_mentions_the_text_renders_as_before():
    assert render_markdown("Hi @amina") == "<p>Hi @amina</p>\n"


def test_the_handles_a_text_mentions_are_read_the_same_way():
    source = "Hi @Amina and @j.doe. `@coder` [@linked](https://example.org) me@mail.org\n\n    @block"
    assert mentioned_handles(source) == {"amina", "j.doe"}
