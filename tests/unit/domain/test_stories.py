"""Views, stories and their captions (app/domain/stories.py).

Caption HTML is compared with what the CommonMark rules give for each input (written out by
hand from the spec: emphasis, links, lists, hard breaks from newlines since ``breaks`` is on),
less what the allow-list removes."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from pydantic import ValidationError

from app.domain.stories import MapRef, caption_html


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("*a* and **b**", "<p><em>a</em> and <strong>b</strong></p>\n"),
        (
            "[ILO](https://www.ilo.org/)",
            '<p><a href="https://www.ilo.org/" target="_blank" '
            'rel="noopener noreferrer nofollow">ILO</a></p>\n',
        ),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
        ("line\nnext `x`", "<p>line<br>\nnext <code>x</code></p>\n"),
    ],
)
def test_the_markdown_subset_renders(markdown: str, expected: str) -> None:
    assert caption_html(markdown) == expected


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '[x](https://a.org" onmouseover="alert(1))',
        "# Heading\n\n> quote\n\n![img](https://a.org/i.png)",
        "<a href='https://a.org' onclick='alert(1)'>a</a>",
    ],
)
def test_nothing_outside_the_subset_becomes_markup(markdown: str) -> None:
    """Parsed back as HTML, the caption holds only allowed elements, and only links with
    http(s) addresses; anything else stays text."""
    found = Elements()
    found.feed(caption_html(markdown))
    assert {tag for tag, _ in found.seen} <= {"p", "em", "strong", "a", "ul", "ol", "li", "br"}
    for tag, attributes in found.seen:
        names = {name for name, _ in attributes}
        assert names <= ({"href", "target", "rel"} if tag == "a" else set()), (tag, names)
        href = dict(attributes).get("href")
        assert href is None or href.startswith(("https://", "http://")), href


class Elements(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"kind": "ecosystem", "focus": "utrasd"}, "focus"),
        ({"kind": "enablers"}, "focus"),
        ({"kind": "organization", "focus": "utrasd", "country": "CO"}, "ecosystem map only"),
        ({"kind": "ecosystem", "country": "ZZ"}, "country 'ZZ'"),
        ({"kind": "organization", "focus": "utrasd", "year": 2020}, "no year"),
        ({"kind": "organization", "focus": "utrasd", "depth": 4}, "depth 4"),
        ({"kind": "partnership", "focus": "p", "depth": 1}, "depth 1"),
    ],
)
def test_a_map_reference_must_fit_its_kind(fields: dict[str, object], said: str) -> None:
    with pytest.raises(ValidationError, match=said):
        MapRef.model_validate(fields)


def test_a_map_reference_names_the_maps_address() -> None:
    """The addresses are those of app/api/routers/maps.py's routes."""
    enablers = MapRef(kind="enablers", focus="ima-limpia", depth=2, year=2022)
    assert (enablers.path(), enablers.query()) == (
        "organizations/ima-limpia/enablers",
        {"as_of": "2022", "depth": "2"},
    )
    ecosystem = MapRef(kind="ecosystem", country="CO", basis="stated")
    assert (ecosystem.path(), ecosystem.query()) == (
        "ecosystem",
        {"country": "CO", "basis": "stated"},
    )
