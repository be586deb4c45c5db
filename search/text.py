"""How an entry's text goes through PostgreSQL's text parser and comes back as safe HTML.

The parser reads `<…>` as an HTML tag: it would neither index the words inside nor show them in a
headline. An entry's text is plain text, where `<` is a character like any other (`a<b`, "the <details>
element"), so the parser gets a stand-in for it, a control character it takes for a space, and the
page gets `<` back. Highlights come back between two more control characters, so that the text can be
HTML-escaped first and only then the markers turned into `<mark>` tags: nothing a member wrote reaches
a page unescaped. No document may bring any of these characters: `clean` drops them.
"""

import re

from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"
_LESS_THAN = "\x04"
# C0 controls but tab and line breaks: the markers above, and NUL, which PostgreSQL refuses in text.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str) -> str:
    return _CONTROL_CHARACTERS.sub("", value)


def parsable(field: str) -> Func:
    """The text of `field` as the parser is to read it (for vectors and headlines alike)."""
    return Replace(F(field), Value("<"), Value(_LESS_THAN), output_field=TextField())


def parsable_query(query: str) -> str:
    return clean(query).replace("<", _LESS_THAN)


def highlight(text: str, pattern: re.Pattern[str]) -> str:
    """`text` with each match of `pattern` between the highlight markers."""
    return pattern.sub(lambda match: f"{HIGHLIGHT_START}{match.group(0)}{HIGHLIGHT_STOP}", text)


def marked_html(marked: str) -> SafeString:
    """Escaped text with its highlights in <mark> elements, from text the parser or `highlight` marked."""
    escaped = escape(marked.replace(_LESS_THAN, "<"))
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))  # noqa: S308
