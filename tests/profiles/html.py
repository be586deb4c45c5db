"""Reading the pages under test as a screen reader would meet them."""

from html.parser import HTMLParser


class Page(HTMLParser):
    """Headings in order, form controls and their labels, ids, and the current pagination page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.ids: set[str] = set()
        self.current_page: list[str] = []
        self._in_current = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        elif tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"] or "")
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in {"hidden", "submit"}:
            self.controls.append(attributes)
        self._in_current = attributes.get("aria-current") == "page" and tag == "span"

    def handle_data(self, data: str) -> None:
        if self._in_current and data.strip():
            self.current_page.append(data.strip())
            self._in_current = False


def assert_accessible(html: str) -> Page:
    page = Page(html)
    assert page.headings.count(1) == 1, "a page has exactly one h1"
    assert page.headings[0] == 1, "the h1 comes first"
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading levels skip from h{before} to h{after}"
    for control in page.controls:
        assert control.get("id") in page.labelled, f"no label for {control}"
        for described_by in (control.get("aria-describedby") or "").split():
            assert described_by in page.ids, f"{control} points at a missing #{described_by}"
    return page
