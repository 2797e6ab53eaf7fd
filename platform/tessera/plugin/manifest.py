"""What a plugin declares about itself and what it adds: plain, frozen, validated data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from tessera.modules.texts import humanize
from tessera.plugin.dynamic_fields import DYNAMIC, field_problem, source_problem
from tessera.plugin.line_fields import line_texts, lines_problem

if TYPE_CHECKING:
    from tessera.plugin.actions import Action
    from tessera.plugin.documents import Document

#: The version of the public plugin API (this package). Plugins declare the range they support.
API_VERSION = Version("1.1")

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
#: A path of the browser app: ``/crm/deals``.
_PATH = re.compile(r"^(/[a-z0-9][a-z0-9_-]*)+$")
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
    """An entry in the browser app's menu, shown only to tenants that enabled the module.

    The entry opens the screens of a ``resource`` or a ``dashboard`` of the plugin, named here.
    Without either, it opens the resource whose endpoint is ``/api/v1`` + ``path``, if any.
    """

    label: str
    path: str
    icon: str = ""
    permission: str | None = None
    order: int = 100
    resource: str | None = None
    dashboard: str | None = None

    def check(self, resources: set[str], dashboards: set[str]) -> MenuItem:
        if not _PATH.fullmatch(self.path):
            raise ManifestError(f"menu {self.label!r}: path {self.path!r} is not an app path")
        if self.resource is not None and self.dashboard is not None:
            raise ManifestError(f"menu {self.label!r} names a resource and a dashboard")
        if self.resource is not None and self.resource not in resources:
            raise ManifestError(
                f"menu {self.label!r} names resource {self.resource!r}, which the plugin "
                "does not declare"
            )
        if self.dashboard is not None and self.dashboard not in dashboards:
            raise ManifestError(
                f"menu {self.label!r} names dashboard {self.dashboard!r}, which the plugin "
                "does not declare"
            )
        return self


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
    "file",
    "field_list",
    "values",
    "lines",
)


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a resource as the browser app shows and edits it.

    ``name`` is the key in the API's JSON; ``options`` lists an ``enum``'s values; a
    ``reference`` names the resource it points to (or ``identity.user``, a member of the
    tenant). A ``create_only`` field is set when the record is made and cannot be changed
    after (the API's PATCH does not take it): the edit form shows it, disabled.

    A reference whose record type varies (an activity about an account, a deal or a ticket)
    names instead, in ``reference_from``, the ``enum`` field of the same resource that says
    which: each of that enum's options is the name of one of the plugin's resources without
    the plugin's prefix (``"account"`` for ``crm.account``).

    A ``file`` field holds the id of a stored file: the form sends the chosen file to
    ``upload_endpoint`` (``POST``, multipart part ``file``, answering JSON with the file's
    ``id`` and ``filename``) and puts the id in the field; ``download_endpoint`` (with ``{id}``,
    the record's id) streams the file held by a record.

    A ``lines`` field holds a record's line items (an order's products, quantities, prices):
    a JSON list of objects, one per line, keyed by the names of ``line_fields`` — plain values
    each (text, number, money as decimal text, date, bool, enum, a reference). The form edits
    them as a table (add, remove, reorder) and sends the whole list, each line with its
    editable values and its ``id`` when a line field is named so; the API names a bad value as
    ``lines[2].quantity``. ``line_amount`` names the line fields of a quantity, a unit price
    and optionally a discount percent: the form then shows each line's amount, quantity * unit
    price * (1 - discount / 100), and their total, for display only (the API computes its
    own).
    """

    name: str
    label: str
    type: str = "text"
    required: bool = False
    read_only: bool = False
    options: tuple[str, ...] = ()
    reference: str | None = None
    create_only: bool = False
    reference_from: str | None = None
    upload_endpoint: str | None = None
    download_endpoint: str | None = None
    schema_from: str | None = None
    schema_field: str | None = None
    help: str = ""
    line_fields: tuple[Field, ...] = ()
    line_amount: tuple[str, ...] = ()

    def check_file(self, module: str, resource: str) -> None:
        """A file field names where its files go and come from, under the plugin's prefix;
        a values field may (for its file definitions); no other field names either."""
        where = f"resource {resource!r}: field {self.name!r}"
        if self.type == "values":
            self._check_value_files(module, where)
            return
        if self.type != "file":
            if self.upload_endpoint is not None or self.download_endpoint is not None:
                raise ManifestError(f"{where}: only a file field has upload or download endpoints")
            return
        prefix = f"/api/v1/{module}/"
        if self.upload_endpoint is None or not self.upload_endpoint.startswith(prefix):
            raise ManifestError(f"{where}: a file field needs an upload_endpoint under {prefix}")
        download = self.download_endpoint
        if download is not None and not (download.startswith(prefix) and "{id}" in download):
            raise ManifestError(
                f"{where}: download_endpoint must be under {prefix} and name the record as {{id}}"
            )

    def _check_value_files(self, module: str, where: str) -> None:
        prefix = f"/api/v1/{module}/"
        if self.upload_endpoint is not None and not self.upload_endpoint.startswith(prefix):
            raise ManifestError(f"{where}: upload_endpoint must be under {prefix}")
        download = self.download_endpoint
        if download is not None and not (
            download.startswith(prefix) and "{id}" in download and "{file}" in download
        ):
            raise ManifestError(
                f"{where}: download_endpoint must be under {prefix} and name the record as "
                "{id} and the file as {file}"
            )


@dataclass(frozen=True, slots=True)
class Resource:
    """A record type the browser app renders with its generic screens, from data alone.

    ``endpoint`` is the collection URL (list with ``GET``, create with ``POST``; one record at
    ``endpoint/{id}``). ``list_columns``, ``filters`` and each row of ``form`` name fields;
    ``kanban_by`` names the field to group a board by: an ``enum`` (a column per option) or a
    ``reference`` to another resource of the plugin (a column per record of it, in the order
    its list gives, as deals by their pipeline's stages); ``calendar_by`` names a date field.

    What the collection endpoint's list takes besides ``limit`` and ``cursor``: ``search``
    (a ``q`` parameter), ``sort_fields`` (``sort=name``, ``sort=-name``), and a query
    parameter per name in ``filters``, named as the field unless ``filter_params`` maps the
    field to another name (``("owner_id", "owner")``). ``export_endpoint`` streams the list,
    filtered and sorted as the list, as a file (``format`` ``csv`` or ``xlsx``) to holders of
    ``export_permission``. ``import_endpoint`` takes a file of records to create, for holders
    of ``import_permission`` and the write permission (the contract is in the plugin guide,
    "Imports": a dry run reports every problem by line, a commit writes all rows or none).
    ``deletable`` says ``DELETE endpoint/{id}`` exists; ``editable=False`` says records are
    made but never changed through ``PATCH endpoint/{id}`` (a request that only moves by its
    own actions), so the app offers no edit form.
    ``facts_endpoint`` (with ``{id}``) answers the figures other modules know of a record
    (``record_facts``), shown on its page.
    ``timeline_endpoint`` (with ``{id}``) pages a record's timeline entries
    (``TimelineEntry``), ``audit_type`` is the table whose row changes the audit trail keeps
    for the record's history. ``actions`` are the buttons of a record's page that post to the
    plugin's own routes (``Action``: submit, withdraw, pay …); ``documents`` are the links
    of a record's page to files its plugin makes of it (``Document``: a PDF of an invoice).
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
    search: bool = False
    sort_fields: tuple[str, ...] = ()
    filter_params: tuple[tuple[str, str], ...] = ()
    export_endpoint: str | None = None
    export_permission: str | None = None
    import_endpoint: str | None = None
    import_permission: str | None = None
    deletable: bool = False
    editable: bool = True
    timeline_endpoint: str | None = None
    facts_endpoint: str | None = None
    audit_type: str | None = None
    actions: tuple[Action, ...] = ()
    documents: tuple[Document, ...] = ()

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
            f.check_file(module, self.name)
            if problem := field_problem(f, by_name) or lines_problem(f):
                raise ManifestError(f"resource {self.name!r}: field {f.name!r}: {problem}")
            if f.reference_from is not None and (
                f.type != "reference"
                or f.reference is not None
                or by_name.get(f.reference_from, Field("", "")).type != "enum"
            ):
                raise ManifestError(
                    f"resource {self.name!r}: field {f.name!r} takes its record type from "
                    "reference_from, which must name an enum field of the resource (and the "
                    "field must be a reference naming no resource itself)"
                )
        named = [*self.list_columns, *self.filters, self.title_field]
        named += [name for row in self.form for name in row]
        if unknown := sorted(set(named) - set(by_name)):
            raise ManifestError(f"resource {self.name!r} names unknown fields {unknown}")
        # A list cannot filter or sort by a JSON shape that varies per record.
        listed = {*self.filters, *self.sort_fields, self.title_field}
        shapes = (*DYNAMIC, "lines")
        if dynamic := sorted(n for n in listed if n in by_name and by_name[n].type in shapes):
            raise ManifestError(
                f"resource {self.name!r}: {dynamic} hold lists or values, which no list filters, "
                "sorts by or shows as a title"
            )
        if self.kanban_by and by_name.get(self.kanban_by, Field("", "")).type not in (
            "enum",
            "reference",
        ):
            raise ManifestError(
                f"resource {self.name!r}: kanban_by must name an enum field or a reference to "
                "one of the plugin's resources"
            )
        if self.calendar_by and by_name.get(self.calendar_by, Field("", "")).type not in (
            "date",
            "datetime",
        ):
            raise ManifestError(f"resource {self.name!r}: calendar_by must name a date field")
        self._check_list(module, by_name)
        actions = [action.check(self.name, by_name).name for action in self.actions]
        if len(set(actions)) != len(actions):
            raise ManifestError(f"resource {self.name!r} names an action twice")
        documents = [document.check(self.name).name for document in self.documents]
        if len(set(documents)) != len(documents):
            raise ManifestError(f"resource {self.name!r} names a document twice")
        if self.timeline_endpoint is not None and not (
            self.timeline_endpoint.startswith(f"/api/v1/{module}/")
            and "{id}" in self.timeline_endpoint
        ):
            raise ManifestError(
                f"resource {self.name!r}: timeline_endpoint must be under /api/v1/{module}/ "
                "and name the record as {id}"
            )
        if self.facts_endpoint is not None and not (
            self.facts_endpoint.startswith(f"/api/v1/{module}/") and "{id}" in self.facts_endpoint
        ):
            raise ManifestError(
                f"resource {self.name!r}: facts_endpoint must be under /api/v1/{module}/ "
                "and name the record as {id}"
            )
        if self.audit_type is not None and not re.fullmatch(
            rf"{module}_[a-z0-9_]+", self.audit_type
        ):
            raise ManifestError(
                f"resource {self.name!r}: audit_type must be one of the plugin's tables "
                f"({module}_...)"
            )
        return self

    def _check_list(self, module: str, by_name: dict[str, Field]) -> None:
        """What the list takes: sort fields and filter parameters name fields; the export is
        the plugin's, with a permission."""
        if unknown := sorted(set(self.sort_fields) - set(by_name)):
            raise ManifestError(
                f"resource {self.name!r}: sort_fields names unknown fields {unknown}"
            )
        mapped = [name for name, _ in self.filter_params]
        if unknown := sorted(set(mapped) - set(self.filters)):
            raise ManifestError(
                f"resource {self.name!r}: filter_params names {unknown}, which are not filters"
            )
        for _, parameter in self.filter_params:
            if not _PARAMETER.fullmatch(parameter):
                raise ManifestError(
                    f"resource {self.name!r}: {parameter!r} is not a parameter name"
                )
        if self.export_endpoint is not None:
            if not self.export_endpoint.startswith(f"/api/v1/{module}/"):
                raise ManifestError(
                    f"resource {self.name!r}: export_endpoint must be under /api/v1/{module}/"
                )
            if self.export_permission is None:
                raise ManifestError(
                    f"resource {self.name!r}: an export_endpoint needs an export_permission"
                )
        if self.import_endpoint is not None:
            if not self.import_endpoint.startswith(f"/api/v1/{module}/"):
                raise ManifestError(
                    f"resource {self.name!r}: import_endpoint must be under /api/v1/{module}/"
                )
            if self.import_permission is None or self.write_permission is None:
                raise ManifestError(
                    f"resource {self.name!r}: an import_endpoint needs an import_permission "
                    "and a write_permission"
                )


#: Metrics shown as one figure: the JSON value at ``value``.
FIGURES = ("number", "percent")
#: Metrics shown as a chart: the answer's ``labels`` against each of its ``series``.
CHARTS = ("bar", "line", "funnel", "pie")
#: Periods the browser app turns into ``from`` and ``to`` dates (inclusive) for a metric.
PERIODS = (
    "today",
    "this_week",
    "this_month",
    "this_quarter",
    "this_year",
    "last_30_days",
    "last_90_days",
    "last_365_days",
)
_VALUE_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|[0-9]+))*$")
_PARAMETER = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")


@dataclass(frozen=True, slots=True)
class Metric:
    """A figure or a chart of a dashboard, read from one of the plugin's report endpoints.

    The browser app sends ``GET endpoint`` with ``params`` and, for a ``period``, the period's
    ``from`` and ``to`` dates. A figure (``display`` ``number`` or ``percent``) is the value at
    ``value``, a dotted path into the JSON answer (``"rate"``, ``"totals.0.amount"``); a chart
    (``bar``, ``line``, ``funnel``, ``pie``) plots the answer's ``labels`` against the entries
    of its ``series`` (``{"name": ..., "data": [...]}``) named in ``series``, or all of them.
    ``permission`` is what a member needs to see the metric.
    """

    name: str
    label: str
    endpoint: str
    permission: str
    display: str = "number"
    value: str | None = None
    period: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    series: tuple[str, ...] = ()

    def check(self, module: str) -> Metric:
        if not self.name.startswith(f"{module}."):
            raise ManifestError(f"metric {self.name!r} must start with {module!r}")
        if not self.label.strip():
            raise ManifestError(f"metric {self.name!r}: label must not be empty")
        if not self.endpoint.startswith(f"/api/v1/{module}/"):
            raise ManifestError(f"metric {self.name!r}: endpoint must be under /api/v1/{module}/")
        if self.display not in (*FIGURES, *CHARTS):
            raise ManifestError(
                f"metric {self.name!r}: display must be one of {', '.join((*FIGURES, *CHARTS))}"
            )
        if self.display in FIGURES and self.value is None:
            raise ManifestError(f"metric {self.name!r}: a {self.display} needs a value path")
        if self.display in CHARTS and self.value is not None:
            raise ManifestError(f"metric {self.name!r}: a chart plots series, not a value")
        if self.display in FIGURES and self.series:
            raise ManifestError(f"metric {self.name!r}: a figure shows a value, not series")
        if self.value is not None and not _VALUE_PATH.fullmatch(self.value):
            raise ManifestError(f"metric {self.name!r}: value {self.value!r} is not a dotted path")
        if self.period is not None and self.period not in PERIODS:
            raise ManifestError(f"metric {self.name!r}: period must be one of {', '.join(PERIODS)}")
        names = [name for name, _ in self.params]
        for name in names:
            if not _PARAMETER.fullmatch(name):
                raise ManifestError(f"metric {self.name!r}: {name!r} is not a parameter name")
        if len(set(names)) != len(names):
            raise ManifestError(f"metric {self.name!r} names a parameter twice")
        if self.period is not None and {"from", "to"} & set(names):
            raise ManifestError(f"metric {self.name!r}: its period sets from and to")
        return self


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A page of metrics, shown to tenants that enabled the module, metric by metric to those
    who hold each one's permission."""

    name: str
    label: str
    metrics: tuple[Metric, ...]
    order: int = 100

    def check(self, module: str, permissions: set[str]) -> Dashboard:
        if not self.name.startswith(f"{module}."):
            raise ManifestError(f"dashboard {self.name!r} must start with {module!r}")
        if not self.metrics:
            raise ManifestError(f"dashboard {self.name!r} has no metrics")
        names = [metric.check(module).name for metric in self.metrics]
        if len(set(names)) != len(names):
            raise ManifestError(f"dashboard {self.name!r} names a metric twice")
        for metric in self.metrics:
            if metric.permission not in permissions:
                raise ManifestError(
                    f"metric {metric.name!r} names {metric.permission!r}, which the plugin "
                    "does not declare"
                )
        return self


@dataclass(frozen=True, slots=True)
class UI:
    """A plugin's UI metadata: menu entries, the resources its screens are made from, and
    dashboards of metrics.

    ``translations`` is the plugin's catalogue: per locale (``"zh"``), each text the plugin
    shows people — its manifest's label and description, its permissions' descriptions, the
    labels here, enum options as they read in English (``in_progress`` reads
    ``"In progress"``), approvable record types' labels, and ``messages`` (texts its routes
    answer with, as a report's "No department", which a route translates through its
    ``texts: Language`` parameter) — mapped to its translation, keyed by the English text.
    Texts it leaves out show in English.
    """

    menus: tuple[MenuItem, ...] = field(default_factory=tuple)
    resources: tuple[Resource, ...] = field(default_factory=tuple)
    dashboards: tuple[Dashboard, ...] = field(default_factory=tuple)
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    messages: tuple[str, ...] = ()

    def texts(self) -> set[str]:
        """The texts of these screens a catalogue can translate."""
        found = {menu.label for menu in self.menus} | set(self.messages)
        for resource in self.resources:
            found.add(resource.label)
            for f in resource.fields:
                found.add(f.label)
                if f.help:
                    found.add(f.help)
                # A field list's options are the platform's value types: the app names them.
                if f.type != "field_list":
                    found.update(humanize(option) for option in f.options)
                found.update(line_texts(f))
            for action in resource.actions:
                found.update(action.texts())
            found.update(document.label for document in resource.documents)
        for dashboard in self.dashboards:
            found.add(dashboard.label)
            found.update(metric.label for metric in dashboard.metrics)
        return found

    def check(self, module: str, permissions: set[str]) -> UI:
        """Each resource, reference board, dashboard and menu entry is valid and names what the
        plugin has."""
        names = {resource.check(module).name for resource in self.resources}
        fields_of = {r.name: {f.name: f for f in r.fields} for r in self.resources}
        for resource in self.resources:
            for permission in (resource.read_permission, resource.write_permission):
                if permission is not None and permission not in permissions:
                    raise ManifestError(
                        f"resource {resource.name!r} names {permission!r}, which the plugin "
                        "does not declare"
                    )
            by_name = {f.name: f for f in resource.fields}
            for f in resource.fields:
                if problem := source_problem(f, by_name, fields_of):
                    raise ManifestError(f"resource {resource.name!r}: field {f.name!r}: {problem}")
                if f.reference_from is None:
                    continue
                options = by_name[f.reference_from].options
                if unknown := sorted(o for o in options if f"{module}.{o}" not in names):
                    raise ManifestError(
                        f"resource {resource.name!r}: field {f.name!r} may point at {unknown}, "
                        "which are not resources of the plugin"
                    )
            board = next((f for f in resource.fields if f.name == resource.kanban_by), None)
            if board is not None and board.type == "reference" and board.reference not in names:
                raise ManifestError(
                    f"resource {resource.name!r}: kanban_by must name an enum field or a "
                    "reference to one of the plugin's resources"
                )
            actions = [action.permission for action in resource.actions]
            actions += [document.permission for document in resource.documents]
            for named in (resource.export_permission, resource.import_permission, *actions):
                if named is not None and named not in permissions:
                    raise ManifestError(
                        f"resource {resource.name!r} names {named!r}, which the plugin does "
                        "not declare"
                    )
        dashboards = [dashboard.check(module, permissions).name for dashboard in self.dashboards]
        if len(set(dashboards)) != len(dashboards):
            raise ManifestError("two dashboards have the same name")
        for menu in self.menus:
            menu.check(names, set(dashboards))
        return self
