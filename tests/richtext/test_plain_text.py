"""HTML read back as the plain text a reader sees, for search indexes and excerpts."""

import pytest

from richtext import plain_text, render_markdown


def test_rendered_markdown_reads_as_its_words_one_block_a_line():
    html = render_markdown(
        "## Shift patterns\n\nWe *tried* a **new** roster\nlast spring.\n\n- nights\n- weekends\n\n"
        "> quoted\n\n| Office | Days |\n| --- | --- |\n| Nairobi | 3 |\n\n```\nrota  = 4\nnext\n```"
    )

    assert plain_text(html) == (
        "Shift patterns\nWe tried a new roster last spring.\nnights\nweekends\nquoted\n"
        "Office Days\nNairobi 3\nrota = 4\nnext"
    )


def test_entities_are_decoded_and_text_that_looks_like_markup_stays_text():
    html = render_markdown("Fish & chips <script>alert(1)</script> &eacute; `a < b`")

    assert plain_text(html) == "Fish & chips <script>alert(1)</script> é a < b"


def test_links_keep_their_text_and_lose_their_address():
    html = render_markdown(
        "See [the compendium](https://example.org/c) and @amina", {"amina": "/people/amina/"}
    )

    assert plain_text(html) == "See the compendium and @amina"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("<p>a<br>b</p><p></p><p>  c  </p>", "a\nb\nc"),
        ("<div>x<script>var hidden = 1;</script><style>p{}</style>y</div>", "xy"),
        ("<td>1</td><td>2</td>", "1 2"),
        ("a &lt;b&gt; &#233; &#x41; &nbsp;z", "a <b> é A z"),
    ],
)
def test_any_html_gives_its_visible_text(html, text):
    assert plain_text(html) == text


def test_without_quotes_leaves_out_what_the_text_quotes_and_keeps_punctuation_in_place():
    html = "<blockquote><p>Earlier words</p></blockquote><p><strong>Rosters</strong>, published early.</p>"

    assert plain_text(html, without_quotes=True) == "Rosters, published early."
    assert "Earlier words" in plain_text(html)
