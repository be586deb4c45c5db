"""Markdown written by members, rendered once at write time and sanitized; and that HTML read back as
plain text, for search.

Shared by every app that stores user text (profiles, forums, chat, stories). bleach is in
security-fix-only maintenance, so it is called from this module alone: moving to another sanitizer
(nh3) changes this file and nothing else.
"""

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from functools import partial
from html.parser import HTMLParser

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
MENTION_CLASS = "mention"


def _allowed_link_attribute(tag: str, name: str, value: str) -> bool:
    # Mentions are the only links the renderer gives a class; a source cannot (its raw HTML is escaped).
    return name in ("href", "title", "rel") or (name == "class" and value == MENTION_CLASS)


ALLOWED_ATTRIBUTES: dict[str, list[str] | Callable[[str, str, str], bool]] = {
    "a": _allowed_link_attribute,
    "abbr": ["title"],
    "th": ["align"],
    "td": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# CommonMark with tables and strikethrough; raw HTML in the source is escaped, not passed through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])

# `@handle`, not inside a word or an email address; a handle's trailing dots and hyphens are punctuation.
MENTION = re.compile(r"(?<![\w@./+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)")


def _set_link_rel(
    attrs: MutableMapping[tuple[str | None, str], str], new: bool = False
) -> MutableMapping[tuple[str | None, str], str]:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags=["pre", "code"])],
)


def render_markdown(source: str, mentions: Mapping[str, str] | None = None) -> str:
    """Safe HTML for `source`: CommonMark rendered, then only an allow-list of tags kept, and every
    link marked `rel="nofollow ugc noopener"`.

    Headings move one level down, since the page around the text owns its single `h1`. `mentions` maps
    lowercase handles to profile addresses: each `@handle` of the prose (not of code, not inside a link)
    found there becomes a link to it.
    """
    if not source.strip():
        return ""
    tokens = _markdown.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        elif token.type == "inline" and mentions and token.children:
            token.children = list(_link_mentions(token.children, mentions))
    return _cleaner.clean(_markdown.renderer.render(tokens, _markdown.options, {}))


def mentioned_handles(source: str) -> set[str]:
    """The handles `source` mentions (lowercase), with the same reading as `render_markdown`: an
    `@handle` in a code span, a code block or a link's text is not a mention."""
    handles: set[str] = set()
    for token in _markdown.parse(source):
        if token.type == "inline" and token.children:
            for text in _prose_texts(token.children):
                handles.update(match.group(1).lower() for match in MENTION.finditer(text.content))
    return handles


def _prose_texts(children: list[Token]) -> Iterator[Token]:
    """The text tokens of an inline run that are not a link's text (code spans are tokens of their own)."""
    link_depth = 0
    for child in children:
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        elif child.type == "text" and link_depth == 0:
            yield child


def _link_mentions(children: list[Token], mentions: Mapping[str, str]) -> Iterator[Token]:
    prose = {id(token) for token in _prose_texts(children)}
    for child in children:
        if id(child) not in prose:
            yield child
            continue
        position = 0
        for match in MENTION.finditer(child.content):
            url = mentions.get(match.group(1).lower())
            if url is None:
                continue
            if match.start() > position:
                yield _text(child.content[position : match.start()])
            yield Token("link_open", "a", 1, attrs={"href": url, "class": MENTION_CLASS})
            yield _text(match.group(0))
            yield Token("link_close", "a", -1)
            position = match.end()
        if position < len(child.content):
            yield _text(child.content[position:])


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


# Elements that end a line of text, and the table cells that end a word, when HTML becomes plain text.
_LINE_BREAKING_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
        "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
_WORD_BREAKING_TAGS = frozenset({"td", "th"})
# Elements whose content is never text a reader sees.
_UNREAD_TAGS = frozenset({"script", "style", "template", "head", "title"})


class _TextCollector(HTMLParser):
    def __init__(self, unread_tags: frozenset[str]) -> None:
        # Entities and character references come out already decoded.
        super().__init__(convert_charrefs=True)
        self._unread_tags = unread_tags
        self.parts: list[str] = []
        self._unread_depth = 0
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._unread_tags:
            self._unread_depth += 1
        elif tag == "pre":
            self._pre_depth += 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._unread_tags and self._unread_depth:
            self._unread_depth -= 1
        elif tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if self._unread_depth:
            return
        # Line breaks in the markup are spaces, as a browser shows them; only preformatted text keeps them.
        self.parts.append(data if self._pre_depth else data.replace("\n", " "))

    def _break(self, tag: str) -> None:
        if tag in _LINE_BREAKING_TAGS:
            self.parts.append("\n")
        elif tag in _WORD_BREAKING_TAGS:
            self.parts.append(" ")


def plain_text(html: str, *, without_quotes: bool = False) -> str:
    """The text a reader of `html` sees, for search indexes and excerpts: tags dropped, entities decoded,
    each block (paragraph, list item, heading, table row) on its own line and table cells apart, runs of
    white space within a line folded to one space, and no blank lines. `without_quotes` leaves out what
    the text quotes (its blockquotes), for an excerpt that must not quote a quote.

    The result is text, not HTML: whoever shows it escapes it.
    """
    collector = _TextCollector(_UNREAD_TAGS | {"blockquote"} if without_quotes else _UNREAD_TAGS)
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)
