"""What a record does besides being edited: a button on its page that posts to one of the
plugin's routes (submit a claim, withdraw a request, mark a deal won).

Records that move only by their own actions (a request is never PATCHed) would otherwise have
no way forward in the browser app; the generic record page draws these from data alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tessera.modules.texts import humanize
from tessera.plugin.manifest import FIELD_TYPES, Field, ManifestError

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Relative to the resource's endpoint, naming the record once: ``{id}/submit``.
_PATH = re.compile(r"^\{id\}(/[a-z0-9][a-z0-9_-]*)+$")


@dataclass(frozen=True, slots=True)
class Action:
    """A button on a record's page: ``POST endpoint/{id}/...`` of the resource.

    ``path`` is relative to the resource's endpoint and names the record as ``{id}``
    (``"{id}/submit"``); the plugin must have a ``POST`` route there requiring
    ``permission``, and only holders of it see the button. ``when`` shows it only while the
    record's fields have one of the values given (``(("status", ("draft",)),)``; every entry
    must hold). ``confirm`` is a question asked before posting; ``danger`` draws the button
    red. ``body_fields`` are a small form whose values are the request's JSON body (a
    payment's reference); without them the action posts no body.
    """

    name: str
    label: str
    path: str
    permission: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    confirm: str | None = None
    danger: bool = False
    body_fields: tuple[Field, ...] = ()

    def check(self, resource: str, fields: dict[str, Field]) -> Action:
        """Valid on its own and against the resource's ``fields`` (what ``when`` reads)."""
        where = f"resource {resource!r}: action {self.name!r}"
        if not _NAME.fullmatch(self.name):
            raise ManifestError(f"{where}: name must be lowercase letters, digits or underscores")
        if not self.label.strip():
            raise ManifestError(f"{where}: label must not be empty")
        if not _PATH.fullmatch(self.path):
            raise ManifestError(
                f"{where}: path {self.path!r} must name the record first, as '{{id}}/submit'"
            )
        if self.confirm is not None and not self.confirm.strip():
            raise ManifestError(f"{where}: confirm must be a question, or None")
        self._check_when(where, fields)
        self._check_body(where)
        return self

    def _check_when(self, where: str, fields: dict[str, Field]) -> None:
        for name, values in self.when:
            known = fields.get(name)
            if known is None:
                raise ManifestError(f"{where}: when names unknown field {name!r}")
            if not values:
                raise ManifestError(f"{where}: when gives {name!r} no values")
            if known.type == "enum" and (unknown := sorted(set(values) - set(known.options))):
                raise ManifestError(f"{where}: when names {unknown}, not options of {name!r}")
        names = [name for name, _ in self.when]
        if len(set(names)) != len(names):
            raise ManifestError(f"{where}: when names a field twice")

    def _check_body(self, where: str) -> None:
        names = [f.name for f in self.body_fields]
        if len(set(names)) != len(names):
            raise ManifestError(f"{where}: body_fields names a field twice")
        for f in self.body_fields:
            if f.type not in FIELD_TYPES:
                raise ManifestError(f"{where}: body field {f.name!r} has unknown type {f.type!r}")
            if f.type == "lines":
                raise ManifestError(f"{where}: body field {f.name!r} must be one value, not lines")
            if f.read_only or f.reference_from is not None:
                raise ManifestError(
                    f"{where}: body field {f.name!r} must be one a person fills in (not "
                    "read-only, no reference_from)"
                )

    def texts(self) -> set[str]:
        """What people read of it, which the plugin's catalogue may translate."""
        found = {self.label, *(f.label for f in self.body_fields)}
        if self.confirm is not None:
            found.add(self.confirm)
        for f in self.body_fields:
            found.update(humanize(option) for option in f.options)
        return found
