"""Org-id identifiers: which texts are identifiers an import may match organisations on.

An org-id (https://org-id.guide) is a list code from the register (``GB-CHC``, ``XM-DAC``,
``CN-53-CR``) and the organisation's number in that list: ``GB-CHC-1068839``. The register's
823 lists ship as ``graph_schema/org_id_lists.json`` (written by ``scripts/org_id_lists.py``).

:func:`read_org_id` sorts any text into one of five kinds. Only a well-formed org-id may join
two records into one organisation: a bare list code (``GB-REV``, which HMRC-registered
charities are often filed under without their number), a placeholder number (``GB-CHC-0``,
``GB-COH-N/A``), a code of an unknown list, or a publisher's own code (``1``, ``61``) would
join organisations that have nothing in common.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Literal

Kind = Literal["org-id", "bare prefix", "placeholder", "unknown prefix", "not an identifier"]
PLACEHOLDERS = frozenset(
    {
        *("na", "n/a", "none", "null", "nil", "unknown", "tbc", "tbd", "x", "xx", "xxx", "-", "?"),
        *("exempt", "excepted", "pending", "applied", "appliedfor", "notregistered"),
        *("unregistered", "notapplicable", "various"),
    }
)
"""Numbers that stand for "no number", compared in lower case without spaces. Numbers whose
digits are all zeros (``000000``, ``RC000000``) are placeholders too: 360Giving's own test
data files them so. "Exempt" is what UK grant-makers write for charities exempt from
registration, which share no number."""
PREFIX_SHAPE = re.compile(r"^([A-Z]{2}(?:_[A-Z0-9]{2,3})?)-([A-Z0-9_]+)(?:-|$)")
"""What an org-id list code looks like: a country or ``XI``/``XM``, a hyphen, the list's code."""


@dataclass(frozen=True)
class OrgIdList:
    """One list of the org-id register: its code, English name and the countries it covers."""

    code: str
    name: str
    coverage: tuple[str, ...]
    deprecated: bool


@dataclass(frozen=True)
class OrgId:
    """How a text reads as an org-id: its kind, and for well-formed ones the list and number.

    ``prefix`` is the list code found (or, for an unknown list, the text's first two parts);
    ``key`` is what two identifiers are compared by: the list's current code and the number,
    in upper case without spaces.
    """

    text: str
    kind: Kind
    prefix: str | None = None
    number: str | None = None
    list: OrgIdList | None = None

    @property
    def key(self) -> str | None:
        """The comparison key of a well-formed org-id, else None."""
        if self.kind != "org-id" or self.list is None or self.number is None:
            return None
        return f"{self.list.code}-{self.number.upper()}"

    @property
    def country(self) -> str | None:
        """The one country the identifier's list covers (``GB`` for ``GB-CHC``), if one."""
        if self.list is None or len(self.list.coverage) != 1:
            return None
        return self.list.coverage[0]


@cache
def org_id_lists() -> Mapping[str, OrgIdList]:
    """Every list of the register by code, former codes (``GB-GOVUK``) included."""
    text = files("graph_schema").joinpath("org_id_lists.json").read_text(encoding="utf-8")
    by_code: dict[str, OrgIdList] = {}
    for raw in json.loads(text)["lists"]:
        item = OrgIdList(raw["code"], raw["name"], tuple(raw["coverage"]), raw["deprecated"])
        by_code[item.code] = item
        for former in raw["former"]:
            by_code.setdefault(former.upper(), item)
    return by_code


def _longest_code(text: str) -> str | None:
    """The longest list code ``text`` starts with, followed by a hyphen or the end."""
    lists = org_id_lists()
    parts = text.split("-")
    for count in range(min(len(parts), 4), 0, -1):
        code = "-".join(parts[:count])
        if code in lists:
            return code
    return None


def _is_placeholder(number: str) -> bool:
    """Whether a list number stands for no number: a placeholder word, all zeros, no digit or
    letter at all."""
    folded = number.casefold()
    digits = re.sub(r"[^0-9]", "", folded)
    all_zeros = bool(digits) and not digits.strip("0")
    return folded in PLACEHOLDERS or all_zeros or not re.search(r"[a-z1-9]", folded)


@lru_cache(maxsize=65_536)
def read_org_id(text: str) -> OrgId:
    """Sort ``text`` into an org-id of a known list or one of the four kinds that are not.

    Cached: matching asks about the same identifiers many times.

    >>> read_org_id("GB-CHC-1068839").key
    'GB-CHC-1068839'
    >>> read_org_id("GB-REV").kind
    'bare prefix'
    >>> read_org_id("61").kind
    'not an identifier'
    """
    compact = re.sub(r"\s+", "", text).upper()
    code = _longest_code(compact)
    if code is not None:
        number = compact[len(code) :].lstrip("-")
        found = org_id_lists()[code]
        if not number:
            return OrgId(text, "bare prefix", code, None, found)
        if _is_placeholder(number):
            return OrgId(text, "placeholder", code, number, found)
        return OrgId(text, "org-id", code, number, found)
    shape = PREFIX_SHAPE.match(compact)
    if shape:
        return OrgId(text, "unknown prefix", f"{shape.group(1)}-{shape.group(2)}")
    return OrgId(text, "not an identifier")
