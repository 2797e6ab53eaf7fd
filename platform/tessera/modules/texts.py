"""Texts people read, in the language they read: the labels and descriptions the core and the
plugins declare, through each one's catalogue.

A catalogue maps a locale (``zh``, ``pt-BR``) to translations keyed by the English text itself,
as gettext does: the declaration stays readable, and a text without a translation shows in
English rather than as a key. The browser app names its language in ``Accept-Language``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: A language tag as catalogues name their locale: a primary language and optional subtags.
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
#: The language declarations are written in; it needs no catalogue.
SOURCE_LOCALE = "en"

Catalogue = Mapping[str, Mapping[str, str]]
_EMPTY: Mapping[str, str] = MappingProxyType({})


def humanize(value: str) -> str:
    """How an enum option's value reads in English: ``in_progress`` -> ``In progress``.

    The browser app shows an option this way when no catalogue translates it, so a catalogue
    translates options under this text.
    """
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def preferred_locales(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first (``q=0`` left
    out); malformed entries are ignored rather than refused, as browsers send what they like."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, parameters = part.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        parameter = parameters.strip()
        if parameter.startswith("q="):
            try:
                quality = float(parameter[2:])
            except ValueError:
                continue
        if tag and quality > 0 and (tag == "*" or LOCALE.fullmatch(tag.lower())):
            weighted.append((-quality, position, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]


def choose(header: str | None, available: Iterable[str]) -> str:
    """The locale to answer in: the first wanted one a catalogue has, matched exactly or by its
    primary language (``zh-CN`` finds ``zh``); English when none is."""
    offered = {locale.lower(): locale for locale in available}
    for wanted in preferred_locales(header):
        if wanted in (SOURCE_LOCALE, "*") or wanted.startswith(f"{SOURCE_LOCALE}-"):
            return SOURCE_LOCALE
        if wanted in offered:
            return offered[wanted]
        primary = wanted.split("-", 1)[0]
        if primary in offered:
            return offered[primary]
    return SOURCE_LOCALE


@dataclass(frozen=True, slots=True)
class Texts:
    """The texts of one request's locale. ``of(module, text)`` is ``text`` as the module's
    catalogue translates it, else as the core's does, else unchanged."""

    locale: str = SOURCE_LOCALE
    by_module: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    core: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def negotiate(
        cls, header: str | None, catalogues: Mapping[str, Catalogue], core: Catalogue
    ) -> Texts:
        """``catalogues`` maps a module to its catalogue; ``core`` is the core's."""
        locales = {locale for catalogue in catalogues.values() for locale in catalogue}
        locale = choose(header, locales | set(core))
        if locale == SOURCE_LOCALE:
            return cls()
        return cls(
            locale,
            {module: catalogue.get(locale, _EMPTY) for module, catalogue in catalogues.items()},
            core.get(locale, _EMPTY),
        )

    def of(self, module: str, text: str) -> str:
        return self.by_module.get(module, _EMPTY).get(text) or self.core.get(text) or text


def check_catalogue(owner: str, catalogue: Catalogue, texts: set[str]) -> None:
    """A catalogue names valid locales and translates only texts its owner shows, each to a
    non-empty text: a translation of a text that no longer exists is a mistake to hear about
    at start-up, not a string that silently never shows."""
    for locale, translations in catalogue.items():
        if not LOCALE.fullmatch(locale) or locale == SOURCE_LOCALE:
            raise ValueError(f"{owner}: {locale!r} is not a locale a catalogue can translate to")
        if unknown := sorted(set(translations) - texts):
            raise ValueError(
                f"{owner}: the {locale!r} catalogue translates texts it never shows: "
                f"{', '.join(repr(text) for text in unknown[:5])}"
            )
        if empty := sorted(text for text, translated in translations.items() if not translated):
            raise ValueError(
                f"{owner}: the {locale!r} catalogue leaves {empty[0]!r} without a translation"
            )
