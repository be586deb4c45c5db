"""Markdown written by members, rendered once at write time and sanitized.

Shared by every app that stores user text (profiles, forums, chat, stories). bleach is in
security-fix-only maintenance, so it is called from this module alone: moving to another sanitizer
(nh3) changes this file and nothing else.
"""

from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# CommonMark with tables and strikethrough; raw HTML in the source is escaped, not passed through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])


def _set_link_rel(attrs: dict[tuple[str | None, str], str], new: bool = False) -> dict[tuple[str | None, str], str]:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags=["pre", "code"])],
)


def render_markdown(source: str) -> str:
    """Safe HTML for `source`: CommonMark rendered, then only an allow-list of tags kept, and every
    link marked `rel="nofollow ugc noopener"`.

    Headings move one level down, since the page around the text owns its single `h1`.
    """
    if not source.strip():
        return ""
    tokens = _markdown.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return _cleaner.clean(_markdown.renderer.render(tokens, _markdown.options, {}))
