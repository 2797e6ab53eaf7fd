"""What a plugin declares about itself and what it adds: plain, frozen, validated data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

#: The version of the public plugin API (this package). Plugins declare the range they support.
API_VERSION = Version("1.0")

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_PERMISSION = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class ManifestError(ValueError):
    """A manifest or declaration is not valid; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """Who a plugin is and what it needs.

    ``api`` is a version range of the plugin API (``">=1.0,<2"``); ``depends`` names other
    plugins that must be installed, loaded and enabled first.
    """

    name: str
    label: str
    version: str
    api: str
    description: str = ""
    depends: tuple[str, ...] = ()

    def check(self) -> Manifest:
        if not _NAME.fullmatch(self.name):
            raise ManifestError(
                f"name {self.name!r} must be 2-40 lowercase letters, digits or underscores"
            )
        if not self.label.strip():
            raise ManifestError("label must not be empty")
        try:
            Version(self.version)
        except ValueError:
            raise ManifestError(f"version {self.version!r} is not a version number") from None
        try:
            SpecifierSet(self.api)
        except InvalidSpecifier:
            raise ManifestError(f"api {self.api!r} is not a version range") from None
        for dependency in self.depends:
            if not _NAME.fullmatch(dependency):
                raise ManifestError(f"depends names {dependency!r}, which is not a plugin name")
        if self.name in self.depends:
            raise ManifestError("a plugin cannot depend on itself")
        return self

    def supports(self, api_version: Version = API_VERSION) -> bool:
        return api_version in SpecifierSet(self.api)


BUILTIN_ROLES = ("owner", "admin", "member")


@dataclass(frozen=True, slots=True)
class Permission:
    """A named right, ``module.resource.action`` (``crm.deal.write``), with what it allows.

    ``default_roles`` says which built-in roles hold it (the owner holds every permission, the
    admin every one that is not ``owner_only``). A ``scoped`` permission is granted for the
    holder's own records, their team's, or all; the built-in member role holds it for their
    own records, the owner and admin for all.
    """

    name: str
    description: str
    default_roles: tuple[str, ...] = ("owner", "admin")
    scoped: bool = False
    owner_only: bool = False

    @property
    def module(self) -> str:
        return self.name.split(".", 1)[0]

    def check(self, module: str) -> Permission:
        if not _PERMISSION.fullmatch(self.name):
            raise ManifestError(f"permission {self.name!r} must read module.resource.action")
        if not self.name.startswith(f"{module}."):
            raise ManifestError(f"permission {self.name!r} must start with {module!r}")
        unknown = set(self.default_roles) - set(BUILTIN_ROLES)
        if unknown:
            raise ManifestError(f"permission {self.name!r} names unknown roles {sorted(unknown)}")
        return self


@dataclass(frozen=True, slots=True)
class MenuItem:
    """An entry in the browser app's menu, shown only to tenants that enabled the module."""

    label: str
    path: str
    icon: str = ""
    permission: str | None = None
    order: int = 100


FIELD_TYPES = (
    "text",
    "longtext",
    "number",
    "money",
    "date",
    "datetime",
    "bool",
    "enum",
    "reference",
)


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a resource as the browser app shows and edits it.

    ``name`` is the key in the API's JSON; ``options`` lists an ``enum``'s values; a
    ``reference`` names the resource it points to.
    """

    name: str
    label: str
    type: str = "text"
    required: bool = False
    read_only: bool = False
    options: tuple[str, ...] = ()
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    """A record type the browser app renders with its generic screens, from data alone.

    ``endpoint`` is the collection URL (list with ``GET``, create with ``POST``; one record at
    ``endpoint/{id}``). ``list_columns``, ``filters`` and each row of ``form`` name fields;
    ``kanban_by`` names an ``enum`` field to group a board by, ``calendar_by`` a date field.
    """

    name: str
    label: str
    endpoint: str
    fields: tuple[Field, ...]
    list_columns: tuple[str, ...]
    title_field: str
    read_permission: str
    write_permission: str | None = None
    filters: tuple[str, ...] = ()
    form: tuple[tuple[str, ...], ...] = ()
    kanban_by: str | None = None
    calendar_by: str | None = None

    def check(self, module: str) -> Resource:
        if not self.name.startswith(f"{module}."):
            raise ManifestError(f"resource {self.name!r} must start with {module!r}")
        if not self.endpoint.startswith(f"/api/v1/{module}/"):
            raise ManifestError(f"resource {self.name!r}: endpoint must be under /api/v1/{module}/")
        by_name = {f.name: f for f in self.fields}
        if len(by_name) != len(self.fields):
            raise ManifestError(f"resource {self.name!r} names a field twice")
        for f in self.fields:
            if f.type not in FIELD_TYPES:
                raise ManifestError(f"field {f.name!r} has unknown type {f.type!r}")
        named = [*self.list_columns, *self.filters, self.title_field]
        named += [name for row in self.form for name in row]
        if unknown := sorted(set(named) - set(by_name)):
            raise ManifestError(f"resource {self.name!r} names unknown fields {unknown}")
        if self.kanban_by and by_name.get(self.kanban_by, Field("", "")).type != "enum":
            raise ManifestError(f"resource {self.name!r}: kanban_by must name an enum field")
        if self.calendar_by and by_name.get(self.calendar_by, Field("", "")).type not in (
            "date",
            "datetime",
        ):
            raise ManifestError(f"resource {self.name!r}: calendar_by must name a date field")
        return self


@dataclass(frozen=True, slots=True)
class UI:
    """A plugin's UI metadata: menu entries and the resources its screens are made from."""

    menus: tuple[MenuItem, ...] = field(default_factory=tuple)
    resources: tuple[Resource, ...] = field(default_factory=tuple)
