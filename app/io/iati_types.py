"""IATI's organisation types and category names, as our vocabulary reads them.

:data:`ORGANISATION_TYPES` is IATI's OrganisationType codelist (its codes and English names, as
in ``../shared/data/iati/codelists/OrganisationType.xml``) with the organisation type each maps
to. Public-private partnerships and "Other" have no equivalent: such an organisation, like one
with no type, is typed by its role (a funder when it gives money, else an NGO).

=====  ===============================  ==========================
code   IATI name                        our type
=====  ===============================  ==========================
10     Government                       public_body
11     Local Government                 public_body
15     Other Public Sector              public_body
21     International NGO                ngo
22     National NGO                     ngo
23     Regional NGO                     ngo
24     Partner Country based NGO        ngo
30     Public Private Partnership       (by role)
40     Multilateral                     international_institution
60     Foundation                       funder
70     Private Sector                   private_company
71     Private Sector in Provider Country   private_company
72     Private Sector in Aid Recipient Country   private_company
73     Private Sector in Third Country  private_company
80     Academic, Training and Research  research_institute
90     Other                            (by role)
=====  ===============================  ==========================

Publishers of IATI 1.0x files often wrote the type's name instead of its code, and sometimes
wrote a category where the organisation's name belongs ("INTERNATIONAL NGO", "Recipient
Government", "Other."): :func:`type_of` reads codes and names, :func:`is_category` tells such
names apart so that they never become organisations. With no type stated, an org-id of the
OECD DAC list (``XM-DAC-41114``) still says what it is: the first digit of a five-digit CRS
channel code is its category (:data:`DAC_CHANNELS`).
"""

from __future__ import annotations

import re

from app.domain.names import name_key
from app.domain.orgids import read_org_id

ORGANISATION_TYPES: dict[str, tuple[str, str | None]] = {
    "10": ("Government", "public_body"),
    "11": ("Local Government", "public_body"),
    "15": ("Other Public Sector", "public_body"),
    "21": ("International NGO", "ngo"),
    "22": ("National NGO", "ngo"),
    "23": ("Regional NGO", "ngo"),
    "24": ("Partner Country based NGO", "ngo"),
    "30": ("Public Private Partnership", None),
    "40": ("Multilateral", "international_institution"),
    "60": ("Foundation", "funder"),
    "70": ("Private Sector", "private_company"),
    "71": ("Private Sector in Provider Country", "private_company"),
    "72": ("Private Sector in Aid Recipient Country", "private_company"),
    "73": ("Private Sector in Third Country", "private_company"),
    "80": ("Academic, Training and Research", "research_institute"),
    "90": ("Other", None),
}
"""IATI OrganisationType code -> (IATI name, our organisation type or None for "by role")."""

DAC_CHANNELS: dict[str, str | None] = {
    "1": "public_body",
    "2": "ngo",
    "3": None,
    "4": "international_institution",
    "5": "research_institute",
    "6": "private_company",
}
"""First digit of a DAC CRS channel code -> our type: public sector (1xxxx), NGOs and civil
society (2xxxx), public-private partnerships and networks (3xxxx), multilateral organisations
(4xxxx, such as 41114 UNDP, 44000 the World Bank), universities and research (5xxxx), private
sector (6xxxx)."""

ROLE_NAMES = frozenset({"funding", "accountable", "extending", "implementing"})
"""IATI's OrganisationRole names: a participating-org named like this names no one."""

OTHER_CATEGORIES = frozenset(
    {
        "recipient government",
        "donor government",
        "partner government",
        "ngo",
        "ngos",
        "other",
        "others",
        "unknown",
        "not applicable",
        "n a",
        "none",
        "various",
        "multiple",
        "private sector",
        "government",
        "multilateral",
        "developing country based ngo",
        "donor country based ngo",
        "university college or other teaching institute",
        "university college or other teaching institution research institute or think tank",
        "public sector institutions",
        "private sector institutions",
        "multilateral organisations",
    }
)
"""Category words real 1.0x files put where an organisation's name belongs, with the names of
DAC CRS channel categories that files use the same way."""

_BY_NAME = {name_key(name): code for code, (name, _) in ORGANISATION_TYPES.items()}
_CHANNEL = re.compile(r"^[1-6][0-9]{4}$")


def type_code(value: str) -> str | None:
    """The OrganisationType code that ``value`` gives, as a code or as the type's name."""
    text = value.strip()
    if text in ORGANISATION_TYPES:
        return text
    return _BY_NAME.get(name_key(text))


def type_of(code: str | None, ref: str | None) -> str | None:
    """Our organisation type from a stated IATI type code, else from a DAC channel org-id."""
    if code is not None:
        return ORGANISATION_TYPES[code][1]
    found = read_org_id(ref) if ref else None
    dac = found is not None and found.key is not None and found.list is not None
    number = found.number if dac and found and found.list and found.list.code == "XM-DAC" else None
    return DAC_CHANNELS[number[0]] if number and _CHANNEL.match(number) else None


def is_category(name: str) -> bool:
    """Whether ``name`` is a category (a type or role name) rather than an organisation's."""
    key = name_key(name)
    return key in _BY_NAME or key in ROLE_NAMES or key in OTHER_CATEGORIES
