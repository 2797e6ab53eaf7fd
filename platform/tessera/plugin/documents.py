"""What a record prints as: a link on its page to a file the plugin makes (a PDF of an
invoice, an order), opened in a new tab with the member's session.

Like actions (``tessera.plugin.actions``), a document names a route of the resource's own URL
space, checked against the plugin's ``GET`` routes when it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tessera.modules.texts import LOCALE
from tessera.plugin.manifest import ManifestError

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Relative to the resource's endpoint, naming the record once: ``{id}/pdf``.
_PATH = re.compile(r"^\{id\}(/[a-z0-9][a-z0-9_-]*)+$")


@dataclass(frozen=True, slots=True)
class Document:
    """A link on a record's page: ``GET endpoint/{id}/...`` of the resource, in a new tab.

    ``path`` is relative to the resource's endpoint and names the record as ``{id}``
    (``"{id}/pdf"``); the plugin must have a ``GET`` route there requiring ``permission``, and
    only holders of it see the link. ``languages`` are the locales the route prints in, taken
    as its ``lang`` query parameter (``?lang=zh``): the app offers each, the reader's own
    first; without any, the link sends no ``lang``.
    """

    name: str
    label: str
    path: str
    permission: str
    languages: tuple[str, ...] = ()

    def check(self, resource: str) -> Document:
        where = f"resource {resource!r}: document {self.name!r}"
        if not _NAME.fullmatch(self.name):
            raise ManifestError(f"{where}: name must be lowercase letters, digits or underscores")
        if not self.label.strip():
            raise ManifestError(f"{where}: label must not be empty")
        if not _PATH.fullmatch(self.path):
            raise ManifestError(
                f"{where}: path {self.path!r} must name the record first, as '{{id}}/pdf'"
            )
        if bad := sorted(lang for lang in self.languages if not LOCALE.fullmatch(lang)):
            raise ManifestError(f"{where}: {bad} are not locales (as 'en', 'zh')")
        if len(set(self.languages)) != len(self.languages):
            raise ManifestError(f"{where}: languages names a locale twice")
        return self
