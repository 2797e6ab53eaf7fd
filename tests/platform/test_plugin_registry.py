"""The plugin registry's loading rules, on plugins loaded through entry points."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import EntryPoint
from typing import Any, Protocol, runtime_checkable

import pytest

from tessera.access.catalog import CORE_PERMISSIONS, CORE_TRANSLATIONS
from tessera.errors import Invalid
from tessera.identity.service import Actor
from tessera.modules.registry import ENTRY_POINT_GROUP, PluginRegistry
from tessera.modules.texts import Texts, check_catalogue, choose
from tessera.plugin import RecordFact, ServiceMissing, TimelineCursor
from tessera.plugin.services import checked_service


def _load(*names: str) -> PluginRegistry:
    registry = PluginRegistry()
    registry.load(
        EntryPoint(name=name, value=f"tests.platform.fake_plugins:{name}", group=ENTRY_POINT_GROUP)
        for name in names
    )
    return registry


def _failures(registry: PluginRegistry) -> dict[str, tuple[str, str]]:
    return {f.name: (f.stage, f.reason) for f in registry.failures}


def test_dependencies_load_first_whatever_the_discovery_order() -> None:
    registry = _load("needs_needs_base", "needs_base", "base")
    assert list(registry.plugins) == ["base", "needs_base", "needs_needs_base"]
    assert registry.failures == []
    assert registry.dependents("base") == ["needs_base"]


def test_a_missing_dependency_is_reported_by_name() -> None:
    registry = _load("needs_base")
    assert _failures(registry) == {
        "needs_base": ("dependencies", "needs 'base', which is not installed or did not load")
    }
    assert registry.plugins == {}


def test_a_dependency_cycle_is_reported_with_its_members() -> None:
    registry = _load("cycle_a", "cycle_b", "needs_cycle", "base")
    failures = _failures(registry)
    assert failures["cycle_a"] == (
        "dependencies",
        "dependency cycle: cycle_a -> cycle_b -> cycle_a",
    )
    assert failures["cycle_b"][1] == "dependency cycle: cycle_a -> cycle_b -> cycle_a"
    assert failures["needs_cycle"] == ("dependencies", "needs 'cycle_a', which did not load")
    assert list(registry.plugins) == ["base"]


def test_a_plugin_that_raises_while_starting_is_skipped_with_its_dependants() -> None:
    registry = _load("raises_on_start", "base")
    assert _failures(registry)["raises_on_start"] == (
        "start",
        "ValueError: cannot list permissions today",
    )
    assert list(registry.plugins) == ["base"]


@pytest.mark.parametrize(
    ("name", "stage", "reason"),
    [
        ("no_manifest", "manifest", "the plugin does not implement tessera_manifest"),
        (
            "wrong_name",
            "manifest",
            "the manifest names 'not_what_the_entry_point_says' but the entry point is 'wrong_name'",
        ),
        ("bad_manifest", "manifest", "name 'Bad Name' must be 2-40 lowercase letters"),
        (
            "bad_permission",
            "start",
            "permission 'other.thing.read' must start with 'bad_permission'",
        ),
        ("does_not_exist", "import", "AttributeError"),
        (
            "unknown_column",
            "start",
            "resource 'unknown_column.thing' names unknown fields ['nope']",
        ),
        ("kanban_on_text", "start", "kanban_by must name an enum field"),
        ("board_elsewhere", "start", "a reference to one of the plugin's resources"),
        ("metric_elsewhere", "start", "endpoint must be under /api/v1/metric_elsewhere/"),
        ("unknown_display", "start", "display must be one of number, percent, bar"),
        ("figure_without_value", "start", "a number needs a value path"),
        ("chart_with_value", "start", "a chart plots series, not a value"),
        ("bad_value_path", "start", "'total..count' is not a dotted path"),
        ("unknown_period", "start", "period must be one of today"),
        ("period_and_dates", "start", "its period sets from and to"),
        ("undeclared_metric_permission", "start", "which the plugin does not declare"),
        ("undeclared_permission", "start", "which the plugin does not declare"),
        ("menu_to_nothing", "start", "names dashboard 'x.main', which the plugin does not"),
        ("menu_to_both", "start", "names a resource and a dashboard"),
        ("menu_bad_path", "start", "path 'things' is not an app path"),
        ("sort_unknown", "start", "sort_fields names unknown fields ['colour']"),
        ("filter_param_elsewhere", "start", "filter_params names ['title'], which are not filters"),
        ("bad_filter_param", "start", "'Owner!' is not a parameter name"),
        ("export_elsewhere", "start", "export_endpoint must be under /api/v1/export_elsewhere/"),
        ("export_without_permission", "start", "an export_endpoint needs an export_permission"),
        ("export_undeclared", "start", "'export_undeclared.x.export', which the plugin does not"),
        ("timeline_without_id", "start", "name the record as {id}"),
        ("facts_elsewhere", "start", "facts_endpoint must be under /api/v1/facts_elsewhere/"),
        ("foreign_audit_type", "start", "audit_type must be one of the plugin's tables"),
        ("import_elsewhere", "start", "import_endpoint must be under /api/v1/import_elsewhere/"),
        ("import_without_permission", "start", "an import_endpoint needs an import_permission"),
        ("import_undeclared", "start", "'import_undeclared.x.import', which the plugin does not"),
        ("about_elsewhere", "start", "may point at ['contact'], which are not resources"),
        ("about_text", "start", "'about' takes its record type from reference_from"),
        ("about_and_reference", "start", "must be a reference naming no resource itself"),
        ("file_without_upload", "start", "a file field needs an upload_endpoint"),
        ("file_uploads_elsewhere", "start", "upload_endpoint under /api/v1/file_uploads_else"),
        ("file_download_without_id", "start", "download_endpoint must be under"),
        ("text_with_upload", "start", "only a file field has upload or download endpoints"),
        ("field_list_unknown_type", "start", "a field_list offers the types text, long_text"),
        ("values_without_schema", "start", "a values field needs schema_from and schema_field"),
        ("values_from_a_date", "start", "schema_from must name a reference field"),
        ("values_from_unknown", "start", "('nope' does not)"),
        ("values_schema_not_a_list", "start", "schema_field 'title' must name a field_list"),
        ("values_with_options", "start", "takes its options from the referenced record"),
        ("values_upload_elsewhere", "start", "upload_endpoint must be under /api/v1/values_up"),
        ("values_download_without_file", "start", "name the record as {id} and the file as"),
        ("schema_on_text", "start", "only a values field has schema_from and schema_field"),
        ("values_as_filter", "start", "['values'] hold lists or values, which no list filters"),
        ("translates_unknown", "start", "catalogue translates texts it never shows: 'Colour'"),
        ("translates_to_nothing", "start", "leaves 'Title' without a translation"),
        ("translates_to_english", "start", "'en' is not a locale a catalogue can translate to"),
    ],
)
def test_bad_plugins_are_named_with_the_reason(name: str, stage: str, reason: str) -> None:
    registry = _load(name, "base")
    failure = _failures(registry)[name]
    assert failure[0] == stage
    assert reason in failure[1]
    assert list(registry.plugins) == ["base"], "the other plugins still load"


def test_ui_resources_are_checked_and_kept() -> None:
    registry = _load("good_ui")
    assert registry.failures == []
    [(module, resource)] = registry.resources(["good_ui"])
    assert module == "good_ui"
    assert resource.calendar_by == "due"
    assert registry.resources([]) == []


def test_menus_name_the_screens_they_open_and_lists_say_what_they_take() -> None:
    registry = _load("good_menu", "menu_to_resource", "good_list")
    assert registry.failures == []
    menus = {module: item for module, item in registry.menus(["good_menu", "menu_to_resource"])}
    assert (menus["good_menu"].dashboard, menus["good_menu"].resource) == ("good_menu.main", None)
    assert menus["menu_to_resource"].resource == "menu_to_resource.thing"
    [(_, listed)] = registry.resources(["good_list"])
    assert listed.search and listed.deletable and listed.sort_fields == ("title",)
    assert dict(listed.filter_params) == {"owner_id": "owner"}
    assert listed.timeline_endpoint == "/api/v1/good_list/things/{id}/timeline"
    assert [f.name for f in listed.fields if f.create_only] == ["kind"]


def test_a_catalogue_translates_labels_options_and_permissions_falling_back_to_english() -> None:
    registry = _load("translated")
    assert registry.failures == []
    texts = Texts.negotiate("zh-CN,zh;q=0.9,en;q=0.8", registry.catalogues(), CORE_TRANSLATIONS)
    assert texts.locale == "zh"
    assert [texts.of("translated", t) for t in ("Thing", "In progress", "read things")] == [
        "东西",
        "进行中",
        "查看东西",
    ]
    assert texts.of("translated", "Done") == "Done", "an untranslated text shows in English"
    assert texts.of("identity", "See the tenant's members") == "查看公司成员", "the core's own"
    english = Texts.negotiate("en-GB,zh;q=0.5", registry.catalogues(), CORE_TRANSLATIONS)
    assert english.of("translated", "Thing") == "Thing"


def test_a_reference_may_take_its_record_type_from_an_enum_of_the_record() -> None:
    registry = _load("good_about")
    assert registry.failures == []
    [note] = [r for _, r in registry.resources(["good_about"]) if r.name == "good_about.note"]
    assert next(f for f in note.fields if f.name == "about").reference_from == "kind"


def test_a_file_field_names_where_its_files_go_and_come_from() -> None:
    registry = _load("good_file")
    assert registry.failures == []
    [(_, thing)] = registry.resources(["good_file"])
    attached = next(f for f in thing.fields if f.name == "file_id")
    assert attached.upload_endpoint == "/api/v1/good_file/files"
    assert attached.download_endpoint == "/api/v1/good_file/things/{id}/file"


def test_a_values_field_takes_its_inputs_from_the_field_list_of_the_record_it_names() -> None:
    registry = _load("good_designed")
    assert registry.failures == []
    by_name = dict((r.name, r) for _, r in registry.resources(["good_designed"]))
    schema = next(f for f in by_name["good_designed.form"].fields if f.name == "fields")
    assert (schema.type, schema.options) == ("field_list", ("text", "amount"))
    values = next(f for f in by_name["good_designed.entry"].fields if f.name == "values")
    assert (values.schema_from, values.schema_field) == ("form_id", "fields")
    assert values.download_endpoint == "/api/v1/good_designed/entries/{id}/files/{file}"


def test_the_core_catalogue_translates_every_core_permission() -> None:
    shown = {p.description for p in CORE_PERMISSIONS}
    check_catalogue("core", CORE_TRANSLATIONS, shown)
    assert set(CORE_TRANSLATIONS["zh"]) == shown


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en"),
        ("", "en"),
        ("zh", "zh"),
        ("zh-Hans-CN", "zh"),
        ("fr-FR, zh;q=0.4", "zh"),
        ("zh;q=0, fr", "en"),
        ("en-US,zh;q=0.9", "en"),
        ("*", "en"),
        ("zh;q=abc, ;;, ~~", "en"),
    ],
)
def test_the_language_is_chosen_from_accept_language(header: str | None, locale: str) -> None:
    assert choose(header, ["zh"]) == locale


def test_dashboards_and_reference_boards_are_checked_and_kept() -> None:
    registry = _load("good_dashboard", "good_board")
    assert registry.failures == []
    [(module, dashboard)] = registry.dashboards(["good_dashboard", "good_board"])
    assert module == "good_dashboard"
    assert [m.name for m in dashboard.metrics] == ["good_dashboard.total", "good_dashboard.trend"]
    assert registry.dashboards([]) == []
    boards = [r for _, r in registry.resources(["good_board"]) if r.kanban_by]
    assert [b.kanban_by for b in boards] == ["stage_id"]


def test_approvables_and_templates_are_checked_at_start() -> None:
    registry = _load(
        "good_workflows",
        "foreign_record_type",
        "unknown_field",
        "undeclared_submit",
        "bad_condition",
        "template_names_users",
        "unguardable",
    )
    assert list(registry.plugins) == ["good_workflows"]
    assert set(registry.approvables()) >= {"good_workflows.claim"}
    assert [t.key for t in registry.templates_of("good_workflows")] == ["good_workflows.default"]
    reasons = {name: reason for name, (stage, reason) in _failures(registry).items()}
    assert "must start with 'foreign_record_type'" in reasons["foreign_record_type"]
    assert "colour" in reasons["unknown_field"]
    assert "undeclared_submit.claim.approve" in reasons["undeclared_submit"]
    assert "steps[0].condition" in reasons["bad_condition"]
    assert "cannot order a number and a string" in reasons["bad_condition"]
    assert "name no users" in reasons["template_names_users"]
    assert "guarded_fields[0]" in reasons["unguardable"]
    assert {stage for stage, _ in _failures(registry).values()} == {"start"}


class _Session:
    """Enough of a session for contributors that do not query: savepoints that count."""

    def __init__(self) -> None:
        self.savepoints = 0

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        self.savepoints += 1
        yield


async def test_timeline_entries_come_from_enabled_modules_newest_first() -> None:
    names = (
        "timeline_early",
        "timeline_late",
        "timeline_raises",
        "timeline_wrong_type",
        "timeline_switched_off",
    )
    registry = _load(*names)
    actor = Actor(uuid.uuid4(), "a@example.com", "A", "session", modules=frozenset(names[:4]))
    session: Any = _Session()

    async def page(before: TimelineCursor | None) -> list[tuple[str, str]]:
        found = await registry.timeline(
            session, actor, "crm.account", "acme", before=before, limit=2
        )
        return [(entry.module, entry.record_id) for entry in found]

    # At most a page from each, merged newest first; the switched-off module is not asked, the
    # broken ones are left out, and each entry names the module it really comes from.
    assert await page(None) == [
        ("timeline_late", "acme-5"),
        ("timeline_early", "acme-4"),
        ("timeline_late", "acme-3"),
        ("timeline_early", "acme-2"),
    ]
    assert session.savepoints == 4
    found = await registry.timeline(session, actor, "crm.account", "acme", before=None, limit=6)
    cursor = TimelineCursor.after(found[2])
    assert await page(TimelineCursor.decode(cursor.encode())) == [
        ("timeline_early", "acme-2"),
        ("timeline_late", "acme-1"),
        ("timeline_early", "acme-0"),
    ]


@pytest.mark.parametrize("cursor", ["", "e30", "bm90IGpzb24", "WzEsMiwzLDRd", "!!!"])
def test_a_timeline_cursor_not_given_out_is_refused(cursor: str) -> None:
    with pytest.raises(Invalid) as refused:
        TimelineCursor.decode(cursor)
    assert refused.value.errors[0].field == "cursor"


@runtime_checkable
class _Ledger(Protocol):
    async def post_entry(self, amount: int) -> int: ...


@runtime_checkable
class _Stock(Protocol):
    async def reserve(self, quantity: int) -> None: ...


async def test_a_service_is_found_by_name_and_checked_against_the_callers_protocol() -> None:
    registry = _load("ledger", "base")
    provider = checked_service(registry.service("ledger.book"), "ledger.book", _Ledger)
    assert await provider.post_entry(7) == 7
    with pytest.raises(ServiceMissing, match="does not offer what _Stock needs"):
        checked_service(registry.service("ledger.book"), "ledger.book", _Stock)
    for missing in ("ledger.stock", "base.book", "nobody.book"):
        assert registry.service(missing) is None
        with pytest.raises(ServiceMissing, match="no loaded plugin provides"):
            checked_service(registry.service(missing), missing, _Ledger)


def test_a_service_is_named_after_its_plugin() -> None:
    registry = _load("ledger_elsewhere", "ledger_badly_named")
    assert _failures(registry) == {
        "ledger_elsewhere": (
            "start",
            "ManifestError: service 'other.book' must start with the plugin's name",
        ),
        "ledger_badly_named": (
            "start",
            "ManifestError: service 'book' must be named '<plugin>.<service>'",
        ),
    }


async def test_record_facts_come_from_enabled_modules_in_the_members_language() -> None:
    names = ("facts_owed", "facts_raises", "facts_wrong_type", "facts_switched_off")
    registry = _load(*names)
    actor = Actor(uuid.uuid4(), "a@example.com", "A", "session", modules=frozenset(names[:3]))
    session: Any = _Session()
    texts = Texts("zh", {name: c.get("zh", {}) for name, c in registry.catalogues().items()}, {})
    found = await registry.record_facts(session, actor, "crm.account", "acme", texts)
    # The switched-off module is not asked, the broken ones are left out, labels are
    # translated, and each fact names the module it really comes from.
    assert [(f.module, f.label, f.value, f.tone, f.record_id) for f in found] == [
        ("facts_owed", "应收", "12.00 CNY", "danger", "acme")
    ]
    assert session.savepoints == 3
    assert await registry.record_facts(session, actor, "crm.deal", "x", texts) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"label": ""}, "label must be 1 to 100"),
        ({"tone": "loud"}, "tone must be one of"),
        ({"record_type": "bill"}, "both record_type and record_id"),
        ({"record_type": "Bill", "record_id": "1"}, "must look like 'module.record'"),
        ({"value": "x" * 201}, "value must be at most 200"),
    ],
)
def test_a_record_fact_is_checked_when_made(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RecordFact(**{"label": "Owed", "value": "1", **changes})
