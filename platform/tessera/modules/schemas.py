"""Request and response shapes of the plugins and modules API."""

from __future__ import annotations

from datetime import datetime

import msgspec

from tessera.web.schemas import Input, Slug


class PluginOut(msgspec.Struct):
    name: str
    label: str
    description: str
    version: str
    api: str
    depends: list[str]


class PluginFailureOut(msgspec.Struct):
    name: str
    #: import, manifest, compatibility, dependencies or start
    stage: str
    reason: str


class PluginsOut(msgspec.Struct):
    loaded: list[PluginOut]
    failed: list[PluginFailureOut]


class ModuleOut(msgspec.Struct):
    name: str
    label: str
    description: str
    version: str
    depends: list[str]
    enabled: bool
    first_enabled_at: datetime | None


class EnableIn(Input):
    #: Also enable the modules this one needs, instead of refusing.
    with_dependencies: bool = False


class EnabledOut(msgspec.Struct):
    enabled: list[str]


class PurgeIn(Input):
    #: The tenant's slug, typed again to confirm.
    confirm: Slug


class PurgedOut(msgspec.Struct):
    deleted: dict[str, int]


class MenuOut(msgspec.Struct):
    module: str
    label: str
    path: str
    icon: str
    order: int
    #: The resource (its list, forms, board …) or the dashboard the entry opens, if it names one.
    resource: str | None
    dashboard: str | None


class FieldOut(msgspec.Struct):
    name: str
    label: str
    type: str
    required: bool
    read_only: bool
    options: list[str]
    reference: str | None
    #: Set on create only; the edit form shows it disabled.
    create_only: bool
    #: How each of ``options`` reads in the request's language, in the same order.
    option_labels: list[str]
    #: A reference whose record type another field says: that enum field's name, and the
    #: resource each of its values points at.
    reference_from: str | None
    reference_resources: dict[str, str]
    #: A file field's: where the form uploads a file (POST, multipart ``file``; the answer's
    #: ``id`` is the field's value) and where a record's file is downloaded (``{id}``: the
    #: record's id).
    upload_endpoint: str | None = None
    download_endpoint: str | None = None
    #: A values field's: the reference field choosing the record whose ``schema_field`` (a
    #: field_list) defines the inputs.
    schema_from: str | None = None
    schema_field: str | None = None
    #: A line the form shows under the input, in the request's language.
    help: str | None = None
    #: A lines field's: the values of each line (plain fields: no lines, files or designed
    #: fields), and the line fields whose product is a line's amount — quantity, unit price
    #: and, if named, a discount percent — shown with the lines' total while editing.
    line_fields: list[FieldOut] = []
    line_amount: list[str] = []


class ActionConditionOut(msgspec.Struct):
    field: str
    #: The record's field must have one of these (as text: ``"true"`` for a true bool).
    values: list[str]


class RecordActionOut(msgspec.Struct):
    name: str
    label: str
    #: ``POST`` here, ``{id}`` being the record's id.
    endpoint: str
    #: Shown only while every condition holds.
    when: list[ActionConditionOut]
    #: A question asked before posting, if any.
    confirm: str | None
    danger: bool
    #: A small form whose values are the request's body; none posts no body.
    body_fields: list[FieldOut]


class RecordDocumentOut(msgspec.Struct):
    name: str
    label: str
    #: ``GET`` here, ``{id}`` being the record's id, opened in a new tab.
    endpoint: str
    #: Locales it prints in, sent as ``?lang=``; none sends no language.
    languages: list[str]


class ResourceOut(msgspec.Struct):
    module: str
    name: str
    label: str
    endpoint: str
    fields: list[FieldOut]
    list_columns: list[str]
    filters: list[str]
    form: list[list[str]]
    title_field: str
    kanban_by: str | None
    calendar_by: str | None
    #: Whether the caller may create these records (and, with can_edit, change them).
    can_write: bool
    #: The caller may change records with PATCH (can_write, and the records change at all).
    can_edit: bool
    #: Whether the caller may delete them (``DELETE endpoint/{id}``).
    can_delete: bool
    #: The list takes ``q``.
    search: bool
    #: Fields the list sorts by (``sort=name``, ``sort=-name``).
    sort_fields: list[str]
    #: Query parameter of each filter whose name is not the field's.
    filter_params: dict[str, str]
    #: Streams the filtered list as a file (``format=csv|xlsx``); null unless the caller may.
    export_endpoint: str | None
    #: Where a file of new records goes, for a caller who may import them.
    import_endpoint: str | None
    #: A record's timeline, with ``{id}`` for the record.
    timeline_endpoint: str | None
    #: What other modules know of a record (``RecordFactOut`` items), with ``{id}``.
    facts_endpoint: str | None
    #: The record type of its history in the audit trail (``/api/v1/audit/records/...``).
    audit_type: str | None
    #: Records can be submitted for approval (``/api/v1/workflow/...``, record type ``name``).
    approvable: bool
    #: Buttons of a record's page the caller may use (the record's own actions).
    actions: list[RecordActionOut]
    #: Links of a record's page to files made of it (a PDF) the caller may open.
    documents: list[RecordDocumentOut]


class MetricOut(msgspec.Struct):
    name: str
    label: str
    endpoint: str
    #: number or percent (a figure at ``value``), bar, line, funnel or pie (a chart)
    display: str
    value: str | None
    #: today, this_week, this_month … : the app sends it as ``from`` and ``to`` dates
    period: str | None
    params: dict[str, str]
    #: The series a chart plots; all of the answer's when empty
    series: list[str]


class DashboardOut(msgspec.Struct):
    module: str
    name: str
    label: str
    order: int
    metrics: list[MetricOut]
