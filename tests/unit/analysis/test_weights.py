"""The weights of peers and matches are data (graph_schema/matching.yaml): each rests on words
the brief really says, and a tier always outweighs the next tier plus every extra."""

from __future__ import annotations

import re
from copy import deepcopy
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.analysis.weights import COUNTED, Weight, parse_weights, weights


def plain(text: str) -> str:
    """Text with its line breaks and curly quotes made plain, to compare."""
    curly = {"\N{RIGHT SINGLE QUOTATION MARK}": "'", "\N{LEFT SINGLE QUOTATION MARK}": "'"}
    curly |= {"\N{LEFT DOUBLE QUOTATION MARK}": '"', "\N{RIGHT DOUBLE QUOTATION MARK}": '"'}
    for fancy, straight in curly.items():
        text = text.replace(fancy, straight)
    return re.sub(r"\s+", " ", text)


def every_weight() -> list[Weight]:
    w = weights()
    return [
        w.peers.sector,
        w.peers.partnership_type,
        w.peers.partnerships,
        w.peers.activity_word,
        *w.partner.tiers,
        *w.partner.extras.values(),
        *w.enabler.tiers,
        *w.enabler.extras.values(),
    ]


def raw() -> dict[str, Any]:
    text = files("graph_schema").joinpath("matching.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_every_weight_quotes_the_brief(brief_text: str) -> None:
    brief = plain(brief_text)
    w = weights()
    quoted = [
        *(x.brief for x in every_weight()),
        w.across_sectors_brief,
        w.partner_pairs_brief,
    ]
    missing = [q.words for q in quoted if plain(q.words) not in brief]
    assert missing == []
    assert all(q.where for q in quoted)


def test_what_every_weight_counts_is_marked_for_the_catalogues() -> None:
    """A page says each weight's ``counts`` through gettext: a sentence the YAML has and the
    code does not mark would stay English in every language."""
    assert {w.counts for w in every_weight()} == set(COUNTED)


def test_a_tier_that_does_not_outweigh_the_next_plus_every_extra_is_refused() -> None:
    # Partner extras add at most 2 (a form) + 1 x 2 (shared enablers) = 4: a first tier of
    # 9 against a second of 5 could be overtaken, so it is refused.
    changed = deepcopy(raw())
    changed["partner"]["tiers"]["same_country_and_sector"]["weight"] = 9
    with pytest.raises(ValueError, match=r"same_country_and_sector \(9\) must outweigh"):
        parse_weights(changed)
    assert parse_weights(raw()).partner.tiers[0].weight == 10


def test_unknown_families_and_sectors_are_refused() -> None:
    changed = deepcopy(raw())
    changed["enabler"]["for"] = ["unions", "guilds"]
    with pytest.raises(ValueError, match=r"unknown families \['guilds'\]"):
        parse_weights(changed)
    changed = deepcopy(raw())
    changed["across_sectors"]["sectors"] = ["everything"]
    with pytest.raises(ValueError, match=r"unknown sectors \['everything'\]"):
        parse_weights(changed)


def test_a_capped_weight_counts_up_to_its_cap() -> None:
    words = weights().peers.activity_word
    assert (words.weight, words.cap) == (1, 3)
    assert [words.score(n) for n in range(5)] == [0, 1, 2, 3, 3]
    form = weights().partner.extras["partnership_form"]
    assert (form.cap, form.score(4)) == (None, form.weight)


README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_gives_the_weights_the_data_holds() -> None:
    # README's table of match weights, row by row: "| kind | what | 10 | words |", where an
    # extra reads "+2"; in the order of graph_schema/matching.yaml, tiers then extras.
    rows = re.findall(r"^\| (partner|enabler) \| [^|]+ \| \+?(\d+) \|", README.read_text(), re.M)
    w = weights()
    expected = [
        (kind, str(x.weight))
        for kind, m in (("partner", w.partner), ("enabler", w.enabler))
        for x in (*m.tiers, *m.extras.values())
    ]
    assert rows == expected
