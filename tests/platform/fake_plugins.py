"""Plugin objects for registry tests, loaded through hand-made entry points."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tessera_test_expenses.models import Claim

from tessera.plugin import (
    UI,
    Approvable,
    Dashboard,
    Field,
    Manifest,
    MenuItem,
    Metric,
    Permission,
    RecordFact,
    Resource,
    Service,
    Step,
    TimelineCursor,
    TimelineEntry,
    WorkflowTemplate,
    hookimpl,
)


class _Plugin:
    def __init__(self, name: str, depends: tuple[str, ...] = (), api: str = ">=1.0") -> None:
        self.name, self.depends, self.api = name, depends, api

    @hookimpl
    def tessera_manifest(self) -> Manifest:
        return Manifest(
            name=self.name,
            label=self.name.title(),
            version="1.0",
            api=self.api,
            depends=self.depends,
        )


class _RaisesOnStart(_Plugin):
    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        raise ValueError("cannot list permissions today")


class _BadPermission(_Plugin):
    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission("other.thing.read", "names another module")]


class _WithResource(_Plugin):
    def __init__(self, name: str, resource: Resource) -> None:
        super().__init__(name)
        self.resource = resource

    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission(f"{self.name}.thing.read", "read things")]

    @hookimpl
    def tessera_ui(self) -> UI:
        return UI(resources=(self.resource,))


def _resource(module: str, **changes: Any) -> Resource:
    fields = (Field("title", "Title"), Field("due", "Due", type="date"))
    base: dict[str, Any] = {
        "name": f"{module}.thing",
        "label": "Thing",
        "endpoint": f"/api/v1/{module}/things",
        "fields": fields,
        "list_columns": ("title",),
        "title_field": "title",
        "read_permission": f"{module}.thing.read",
    }
    return Resource(**(base | changes))


class _WithUI(_Plugin):
    """Declares a read permission and the UI it is given (resources, dashboards)."""

    def __init__(self, name: str, ui: UI) -> None:
        super().__init__(name)
        self.declared = ui

    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission(f"{self.name}.thing.read", "read things")]

    @hookimpl
    def tessera_ui(self) -> UI:
        return self.declared


def _dashboard(module: str, **metric_changes: Any) -> UI:
    base: dict[str, Any] = {
        "name": f"{module}.total",
        "label": "Total",
        "endpoint": f"/api/v1/{module}/reports/total",
        "permission": f"{module}.thing.read",
        "display": "number",
        "value": "total.count",
        "period": "this_month",
        "params": (("kind", "all"),),
    }
    chart = Metric(
        f"{module}.trend", "Trend", f"/api/v1/{module}/reports/trend", f"{module}.thing.read",
        display="line", series=("count",),
    )  # fmt: skip
    return UI(
        dashboards=(
            Dashboard(f"{module}.main", "Main", (Metric(**(base | metric_changes)), chart)),
        )
    )


def _board(module: str, reference: str) -> UI:
    """Things on a board with a column per stage (another resource), or per what ``reference`` names."""
    stage = _resource(module, name=f"{module}.stage", endpoint=f"/api/v1/{module}/stages")
    fields = (
        Field("title", "Title"),
        Field("stage_id", "Stage", type="reference", reference=reference),
    )
    return UI(resources=(stage, _resource(module, fields=fields, kanban_by="stage_id")))


class _WithWorkflows(_Plugin):
    """Declares the expenses plugin's model as its own approvable (no table of its own)."""

    def __init__(self, name: str, **changes: Any) -> None:
        super().__init__(name)
        self.changes = changes

    @hookimpl
    def tessera_models(self) -> Sequence[type[Any]]:
        return [Claim]

    @hookimpl
    def tessera_permissions(self) -> Sequence[Permission]:
        return [Permission(f"{self.name}.claim.write", "write claims")]

    @hookimpl
    def tessera_workflows(self) -> Sequence[Approvable | WorkflowTemplate]:
        approvable = Approvable(
            record_type=f"{self.name}.claim",
            model=Claim,
            label="Claim",
            fields=("amount", "department"),
            submit_permission=f"{self.name}.claim.write",
        )
        template = WorkflowTemplate(
            key=f"{self.name}.default",
            record_type=f"{self.name}.claim",
            name="Default",
            steps=(Step("Boss", approvers="manager", condition="amount > 10"),),
        )
        approvable = _replace(approvable, self.changes.get("approvable", {}))
        template = _replace(template, self.changes.get("template", {}))
        return [approvable, template]


def _replace(item: Any, changes: dict[str, Any]) -> Any:
    return replace(item, **changes)


#: The instant the fake timeline entries are counted from.
EPOCH = datetime(2027, 1, 1, tzinfo=UTC)


class _WithTimeline(_Plugin):
    """Contributes an entry per hour to the timeline of any record; or misbehaves, as told."""

    def __init__(self, name: str, hours: Sequence[int], misbehave: str = "") -> None:
        super().__init__(name)
        self.hours, self.misbehave = hours, misbehave

    @hookimpl
    async def tessera_timeline(
        self, record_id: str, before: TimelineCursor | None, limit: int
    ) -> Sequence[Any]:
        if self.misbehave == "raise":
            raise RuntimeError("the timeline is broken today")
        if self.misbehave == "wrong type":
            return [{"at": EPOCH, "title": "not an entry"}]
        entries = [
            TimelineEntry(
                EPOCH + timedelta(hours=hour),
                f"{self.name}.thing.seen",
                f"Seen at {hour}",
                f"{self.name}.thing",
                f"{record_id}-{hour}",
                # Pretending to be another module does not stick.
                module="crm",
            )
            for hour in self.hours
        ]
        # Careless on purpose: returns everything, ignoring the cursor and the limit.
        return entries


class _Ledger:
    async def post_entry(self, amount: int) -> int:
        return amount


class _WithService(_Plugin):
    def __init__(self, name: str, offered: str, *, depends: tuple[str, ...] = ()) -> None:
        super().__init__(name, depends)
        self.offered = offered

    @hookimpl
    def tessera_services(self) -> Sequence[Service]:
        return [Service(self.offered, _Ledger())]


class _WithFacts(_Plugin):
    """Knows the amount owed by any record, in its own words; or misbehaves, as told."""

    def __init__(self, name: str, misbehave: str = "") -> None:
        super().__init__(name)
        self.misbehave = misbehave

    @hookimpl
    def tessera_ui(self) -> UI:
        return UI(messages=("Owed",), translations={"zh": {"Owed": "应收"}})

    @hookimpl
    async def tessera_record_facts(self, record_type: str, record_id: str) -> Sequence[Any]:
        if self.misbehave == "raise":
            raise RuntimeError("the ledger is closed today")
        if self.misbehave == "wrong type":
            return [("Owed", "1")]
        if record_type != "crm.account":
            return []
        return [
            RecordFact(
                "Owed", "12.00 CNY", tone="danger", record_type=f"{self.name}.bill",
                record_id=record_id, module="crm",
            )
        ]  # fmt: skip


class _NoManifest:
    @hookimpl
    def tessera_permissions(self) -> Sequence[Any]:
        return []


base = _Plugin("base")
facts_owed = _WithFacts("facts_owed")
facts_raises = _WithFacts("facts_raises", misbehave="raise")
facts_wrong_type = _WithFacts("facts_wrong_type", misbehave="wrong type")
facts_switched_off = _WithFacts("facts_switched_off")
ledger = _WithService("ledger", "ledger.book")
ledger_elsewhere = _WithService("ledger_elsewhere", "other.book")
ledger_badly_named = _WithService("ledger_badly_named", "book")
needs_base = _Plugin("needs_base", depends=("base",))
needs_needs_base = _Plugin("needs_needs_base", depends=("needs_base",))
cycle_a = _Plugin("cycle_a", depends=("cycle_b",))
cycle_b = _Plugin("cycle_b", depends=("cycle_a",))
needs_cycle = _Plugin("needs_cycle", depends=("cycle_a",))
raises_on_start = _RaisesOnStart("raises_on_start")
needs_raiser = _Plugin("needs_raiser", depends=("raises_on_start",))
bad_permission = _BadPermission("bad_permission")
no_manifest = _NoManifest()
wrong_name = _Plugin("not_what_the_entry_point_says")
bad_manifest = _Plugin("Bad Name")
good_ui = _WithResource("good_ui", _resource("good_ui", calendar_by="due"))
unknown_column = _WithResource(
    "unknown_column", _resource("unknown_column", list_columns=("nope",))
)
kanban_on_text = _WithResource("kanban_on_text", _resource("kanban_on_text", kanban_by="title"))
undeclared_permission = _WithResource(
    "undeclared_permission",
    _resource("undeclared_permission", write_permission="undeclared_permission.thing.write"),
)
good_workflows = _WithWorkflows("good_workflows")
foreign_record_type = _WithWorkflows(
    "foreign_record_type", approvable={"record_type": "other.claim"}
)
unknown_field = _WithWorkflows("unknown_field", approvable={"fields": ("amount", "colour")})
undeclared_submit = _WithWorkflows(
    "undeclared_submit", approvable={"submit_permission": "undeclared_submit.claim.approve"}
)
bad_condition = _WithWorkflows(
    "bad_condition",
    template={"steps": (Step("Boss", approvers="manager", condition="amount > 'x'"),)},
)
template_names_users = _WithWorkflows(
    "template_names_users",
    template={"steps": (Step("Her", approvers="users", users=(uuid.uuid4(),)),)},
)
unguardable = _WithWorkflows("unguardable", template={"guarded_fields": ("title",)})
good_dashboard = _WithUI("good_dashboard", _dashboard("good_dashboard"))
metric_elsewhere = _WithUI(
    "metric_elsewhere", _dashboard("metric_elsewhere", endpoint="/api/v1/other/reports/total")
)
unknown_display = _WithUI("unknown_display", _dashboard("unknown_display", display="gauge"))
figure_without_value = _WithUI(
    "figure_without_value", _dashboard("figure_without_value", value=None)
)
chart_with_value = _WithUI("chart_with_value", _dashboard("chart_with_value", display="bar"))
bad_value_path = _WithUI("bad_value_path", _dashboard("bad_value_path", value="total..count"))
unknown_period = _WithUI("unknown_period", _dashboard("unknown_period", period="fortnight"))
period_and_dates = _WithUI(
    "period_and_dates", _dashboard("period_and_dates", params=(("from", "2026-01-01"),))
)
undeclared_metric_permission = _WithUI(
    "undeclared_metric_permission",
    _dashboard("undeclared_metric_permission", permission="undeclared_metric_permission.x.read"),
)
good_board = _WithUI("good_board", _board("good_board", "good_board.stage"))
board_elsewhere = _WithUI("board_elsewhere", _board("board_elsewhere", "other.stage"))
timeline_early = _WithTimeline("timeline_early", [0, 2, 4])
timeline_late = _WithTimeline("timeline_late", [1, 3, 5])
timeline_raises = _WithTimeline("timeline_raises", [6], misbehave="raise")
timeline_wrong_type = _WithTimeline("timeline_wrong_type", [7], misbehave="wrong type")
timeline_switched_off = _WithTimeline("timeline_switched_off", [8])


def _with_menu(module: str, **menu: Any) -> UI:
    """A resource, a dashboard and a menu entry that names one of them (or what ``menu`` says)."""
    dashboard = _dashboard(module).dashboards
    item = MenuItem(**({"label": "Things", "path": f"/{module}/things"} | menu))
    return UI(menus=(item,), resources=(_resource(module),), dashboards=dashboard)


def _listed(module: str, **changes: Any) -> _WithUI:
    """A resource whose list the app can search, sort, filter and export."""
    fields = (
        Field("title", "Title"),
        Field("owner_id", "Owner", type="reference", reference="identity.user"),
        Field("kind", "Kind", type="enum", options=("a", "b"), create_only=True),
    )
    base: dict[str, Any] = {
        "fields": fields,
        "filters": ("owner_id", "kind"),
        "search": True,
        "sort_fields": ("title",),
        "filter_params": (("owner_id", "owner"),),
        "export_endpoint": f"/api/v1/{module}/things/export",
        "export_permission": f"{module}.thing.read",
        "deletable": True,
        "timeline_endpoint": f"/api/v1/{module}/things/{{id}}/timeline",
        "audit_type": f"{module}_thing",
    }
    return _WithUI(module, UI(resources=(_resource(module, **(base | changes)),)))


good_menu = _WithUI("good_menu", _with_menu("good_menu", dashboard="good_menu.main"))
menu_to_resource = _WithUI(
    "menu_to_resource", _with_menu("menu_to_resource", resource="menu_to_resource.thing")
)
menu_to_nothing = _WithUI("menu_to_nothing", _with_menu("menu_to_nothing", dashboard="x.main"))
menu_to_both = _WithUI(
    "menu_to_both",
    _with_menu("menu_to_both", resource="menu_to_both.thing", dashboard="menu_to_both.main"),
)
menu_bad_path = _WithUI("menu_bad_path", _with_menu("menu_bad_path", path="things"))
good_list = _listed("good_list")
sort_unknown = _listed("sort_unknown", sort_fields=("colour",))
filter_param_elsewhere = _listed("filter_param_elsewhere", filter_params=(("title", "t"),))
bad_filter_param = _listed("bad_filter_param", filter_params=(("owner_id", "Owner!"),))
export_elsewhere = _listed("export_elsewhere", export_endpoint="/api/v1/other/export")
export_without_permission = _listed("export_without_permission", export_permission=None)
export_undeclared = _listed("export_undeclared", export_permission="export_undeclared.x.export")
facts_elsewhere = _listed("facts_elsewhere", facts_endpoint="/api/v1/other/things/{id}/facts")
timeline_without_id = _listed(
    "timeline_without_id", timeline_endpoint="/api/v1/timeline_without_id/timeline"
)
foreign_audit_type = _listed("foreign_audit_type", audit_type="crm_account")
import_elsewhere = _listed(
    "import_elsewhere",
    import_endpoint="/api/v1/other/imports",
    import_permission="import_elsewhere.thing.read",
)
import_without_permission = _listed(
    "import_without_permission", import_endpoint="/api/v1/import_without_permission/imports"
)
import_undeclared = _listed(
    "import_undeclared",
    import_endpoint="/api/v1/import_undeclared/imports",
    import_permission="import_undeclared.x.import",
    write_permission="import_undeclared.thing.read",
)


def _translated(module: str, translations: dict[str, dict[str, str]]) -> _WithUI:
    options = Field("state", "State", type="enum", options=("in_progress", "done"))
    resource = _resource(module, fields=(Field("title", "Title"), options))
    return _WithUI(module, UI(resources=(resource,), translations=translations))


translated = _translated(
    "translated",
    {"zh": {"Thing": "东西", "Title": "标题", "In progress": "进行中", "read things": "查看东西"}},
)
translates_unknown = _translated("translates_unknown", {"zh": {"Colour": "颜色"}})
translates_to_nothing = _translated("translates_to_nothing", {"zh": {"Title": ""}})
translates_to_english = _translated("translates_to_english", {"en": {"Title": "Heading"}})


def _about(module: str, kinds: tuple[str, ...], **changes: Any) -> _WithUI:
    """A note about a thing or a stage: a reference whose record type its ``kind`` says."""
    fields = (
        Field("title", "Title"),
        Field("kind", "About a", type="enum", options=kinds),
        Field("about", "About", **({"type": "reference", "reference_from": "kind"} | changes)),
    )
    thing = _resource(module)
    stage = _resource(module, name=f"{module}.stage", endpoint=f"/api/v1/{module}/stages")
    note = _resource(
        module, name=f"{module}.note", endpoint=f"/api/v1/{module}/notes", fields=fields
    )
    return _WithUI(module, UI(resources=(thing, stage, note)))


good_about = _about("good_about", ("thing", "stage"))
about_elsewhere = _about("about_elsewhere", ("thing", "contact"))
about_text = _about("about_text", ("thing",), type="text")
about_and_reference = _about(
    "about_and_reference", ("thing",), reference="about_and_reference.thing"
)


def _attached(module: str, **changes: Any) -> _WithUI:
    """A thing with a file: the form uploads it, the record's page downloads it."""
    attachment = {
        "type": "file",
        "upload_endpoint": f"/api/v1/{module}/files",
        "download_endpoint": f"/api/v1/{module}/things/{{id}}/file",
    }
    fields = (Field("title", "Title"), Field("file_id", "File", **(attachment | changes)))
    return _WithUI(module, UI(resources=(_resource(module, fields=fields),)))


good_file = _attached("good_file")
file_without_upload = _attached("file_without_upload", upload_endpoint=None)
file_uploads_elsewhere = _attached("file_uploads_elsewhere", upload_endpoint="/api/v1/x/files")
file_download_without_id = _attached(
    "file_download_without_id", download_endpoint="/api/v1/file_download_without_id/file"
)
text_with_upload = _attached("text_with_upload", type="text")


def _designed(module: str, *, schema: dict[str, Any], values: dict[str, Any]) -> _WithUI:
    """Forms an admin designs (a field_list) and entries made from one (values by the form)."""
    form = _resource(
        module,
        name=f"{module}.form",
        endpoint=f"/api/v1/{module}/forms",
        fields=(
            Field("title", "Title"),
            Field("fields", "Fields", **({"type": "field_list"} | schema)),
        ),
    )
    entry_fields = (
        Field("title", "Title"),
        Field("form_id", "Form", type="reference", reference=f"{module}.form"),
        Field("due", "Due", type="date"),
        Field("values", "Values", **({"type": "values"} | values)),
    )
    entry = _resource(
        module, name=f"{module}.entry", endpoint=f"/api/v1/{module}/entries", fields=entry_fields
    )
    return _WithUI(module, UI(resources=(form, entry)))


_VALUES = {
    "schema_from": "form_id",
    "schema_field": "fields",
    "upload_endpoint": "/api/v1/{m}/files",
    "download_endpoint": "/api/v1/{m}/entries/{{id}}/files/{{file}}",
}


def _values(module: str, **changes: Any) -> dict[str, Any]:
    declared = {k: v.format(m=module) if isinstance(v, str) else v for k, v in _VALUES.items()}
    return declared | changes


good_designed = _designed(
    "good_designed", schema={"options": ("text", "amount")}, values=_values("good_designed")
)
field_list_unknown_type = _designed(
    "field_list_unknown_type",
    schema={"options": ("text", "colour")},
    values=_values("field_list_unknown_type"),
)
values_without_schema = _designed(
    "values_without_schema", schema={}, values=_values("values_without_schema", schema_from=None)
)
values_from_a_date = _designed(
    "values_from_a_date", schema={}, values=_values("values_from_a_date", schema_from="due")
)
values_from_unknown = _designed(
    "values_from_unknown", schema={}, values=_values("values_from_unknown", schema_from="nope")
)
values_schema_not_a_list = _designed(
    "values_schema_not_a_list",
    schema={},
    values=_values("values_schema_not_a_list", schema_field="title"),
)
values_with_options = _designed(
    "values_with_options", schema={}, values=_values("values_with_options", options=("a",))
)
values_upload_elsewhere = _designed(
    "values_upload_elsewhere",
    schema={},
    values=_values("values_upload_elsewhere", upload_endpoint="/api/v1/x/files"),
)
values_download_without_file = _designed(
    "values_download_without_file",
    schema={},
    values=_values(
        "values_download_without_file",
        download_endpoint="/api/v1/values_download_without_file/entries/{id}",
    ),
)
schema_on_text = _designed(
    "schema_on_text", schema={"schema_from": "title"}, values=_values("schema_on_text")
)
values_as_filter = _WithUI(
    "values_as_filter",
    UI(
        resources=tuple(
            replace(r, filters=("values",)) if r.name.endswith(".entry") else r
            for r in _designed(
                "values_as_filter", schema={}, values=_values("values_as_filter")
            ).declared.resources
        )
    ),
)
