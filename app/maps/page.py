"""Our pages: Jinja templates with autoescaping and gettext, in the reader's language, all but
the error page extending ``base.html``, with their data as inert JSON and no inline script.

Data is JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
so no field of the data can close the block or start markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined

from app.domain.languages import DEFAULT, LANGUAGES, NAMES, Language
from app.domain.messages import N_, catalogue, gettext, script_messages
from app.maps.model import MapData


@cache
def pages(lang: Language) -> Environment:
    """The page templates, speaking ``lang``: autoescaped, with ``_`` from our catalogue."""
    environment = Environment(
        loader=PackageLoader("app.maps", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(catalogue(lang), newstyle=True)  # type: ignore[attr-defined]
    environment.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's lines are one line
    # |tojson escapes <, >, & and ' so that JSON in a <script> block cannot end it.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return environment


@dataclass(frozen=True)
class LanguageLink:
    """One language in a page's switcher: its code, its own name, and the same page in it."""

    code: Language
    name: str
    href: str
    current: bool


def language_links(
    path: str, query: Iterable[tuple[str, str]], lang: Language
) -> list[LanguageLink]:
    """The page at ``path`` with ``query`` (the view, which every link keeps) in each of our
    languages; English needs no ``lang``."""
    kept = [(k, v) for k, v in query if k != "lang"]
    links = []
    for code in LANGUAGES:
        asked = kept if code == DEFAULT else [*kept, ("lang", code)]
        href = path + (f"?{urlencode(asked)}" if asked else "")
        links.append(LanguageLink(code, NAMES[code], href, code == lang))
    return links


def render_page(
    name: str, lang: Language, path: str, query: Iterable[tuple[str, str]], **values: object
) -> str:
    """Page template ``name`` (which extends ``base.html``) in ``lang``, with the language
    switcher keeping the view (``path`` and its ``query``), ``lang_query`` for the page's own
    links, the scripts' catalogue, and ``values`` for the template's own places."""
    return (
        pages(lang)
        .get_template(name)
        .render(
            lang=lang,
            lang_query="" if lang == DEFAULT else f"?lang={lang}",
            languages=language_links(path, query, lang),
            messages=script_messages(lang),
            **values,
        )
    )


def render_map(
    data: MapData,
    embed: bool,
    oembed: str = "",
    lang: Language = DEFAULT,
    languages: Sequence[LanguageLink] = (),
) -> str:
    """The complete HTML page of a map, in ``lang``; ``embed`` drops the page chrome for
    iframes; ``oembed`` is the URL of its oEmbed answer, linked for discovery when given.

    The page carries the map as ``/api/maps/...`` answers it for the same view, its words in
    ``lang``, and the scripts' catalogue of ``lang``.
    """
    return (
        pages(lang)
        .get_template("map.html")
        .render(
            lang=lang,
            title=data.title,
            oembed=oembed,
            body_class="embed" if embed else "page",
            data=data.model_dump(mode="json"),
            messages=script_messages(lang),
            languages=languages,
        )
    )


STATUS_PHRASES = (
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Conflict"),
    N_("Precondition Failed"),
    N_("Request Entity Too Large"),
    N_("Unsupported Media Type"),
    N_("Unprocessable Entity"),
    N_("Too Many Requests"),
    N_("Internal Server Error"),
    N_("Service Unavailable"),
)
"""The HTTP status phrases a page may answer with, marked to be said in each language."""


def render_error(
    status: HTTPStatus,
    detail: str,
    embed: bool,
    lang: Language = DEFAULT,
    path: str = "/",
    query: Iterable[tuple[str, str]] = (),
) -> str:
    """A short HTML page that says what went wrong, for pages and embeds: the status's phrase
    in ``lang`` (:data:`STATUS_PHRASES`; any other as HTTP says it) and ``detail`` as the API
    says it; a page (not an embed) offers the same address in the other languages."""
    return (
        pages(lang)
        .get_template("error.html")
        .render(
            lang=lang,
            lang_query="" if lang == DEFAULT else f"?lang={lang}",
            title=gettext(status.phrase, lang),
            detail=detail,
            embed=embed,
            languages=[] if embed else language_links(path, query, lang),
        )
    )
