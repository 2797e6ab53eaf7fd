"""The event catalogue is the code: every event is declared, and emit holds code to it.

A declared type has a TypedDict payload; emit refuses an undeclared type and a payload with
other keys; a plugin declares only under its own name, once; every emit call site in the
source names a declared type; webhooks subscribe to declared types only; and the API lists
what the tenant can hear of.
"""

from __future__ import annotations

import ast
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import NotRequired, TypedDict

import asyncpg
import httpx
import pytest

from tessera.db.engine import Database
from tessera.db.tenant_context import set_tenant
from tessera.events.catalogue import CORE_EVENT_TYPES, known_event_types
from tessera.modules.registry import ENTRY_POINT_GROUP, PluginRegistry
from tessera.plugin import EventNotDeclared, EventType, Manifest, emit, hookimpl
from tessera.runtime import runtime_database_url
from tests.support import LiveServer, join, make_client, sign_up

ROOT = Path(__file__).resolve().parents[2]
#: Where events are emitted from: the platform, first-party plugins, the test plugins.
SOURCES = (ROOT / "platform" / "tessera", ROOT / "plugins", ROOT / "tests" / "plugins")
#: A public address written as an IP (no DNS in tests); nothing is sent while registering.
HOOK_URL = "https://93.184.215.14/hook"


# The functional form: under ``from __future__ import annotations`` the class form cannot see
# NotRequired (Python 3.11), which EventType refuses (see the test below).
Shared = TypedDict("Shared", {"note_id": uuid.UUID, "reason": NotRequired[str]})  # noqa: UP013
Bundle = TypedDict("Bundle", {"notes": list[Shared], "first": Shared | None})  # noqa: UP013


# --- declaring ---------------------------------------------------------------------------


def test_an_event_type_describes_its_payload_keys() -> None:
    declared = EventType("notes.note.pinned", "A note was pinned", Shared)
    assert [(k.name, k.type, k.required) for k in declared.payload_keys()] == [
        ("note_id", "UUID", True),
        ("reason", "str", False),
    ]
    assert declared.schema()["required"] == ["note_id"]
    assert declared.schema()["additionalProperties"] is False


def test_the_schema_describes_nested_payloads() -> None:
    bundled = EventType("notes.bundle.made", "Notes were bundled", Bundle)
    schema = bundled.schema()["properties"]
    assert schema["notes"]["type"] == "list[Shared]"
    assert schema["notes"]["items"]["required"] == ["note_id"]
    assert schema["first"] == {
        "type": "Shared | None",
        "properties": {"note_id": {"type": "UUID"}, "reason": {"type": "str"}},
    }


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("Notes.Note.Pinned", Shared, "must look like"),
        ("notes.pinned", Shared, "must look like"),
        ("notes.note.pinned", dict, "TypedDict"),
    ],
)
def test_a_bad_declaration_is_refused(name: str, payload: type, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EventType(name, "Something happened", payload)


def test_payload_checks_name_the_missing_and_the_unknown_keys() -> None:
    declared = EventType("notes.note.pinned", "A note was pinned", Shared)
    declared.check_payload({"note_id": uuid.uuid4()})
    declared.check_payload({"note_id": uuid.uuid4(), "reason": "top"})
    with pytest.raises(EventNotDeclared, match=r"missing \['note_id'\]; unknown \['colour'\]"):
        declared.check_payload({"reason": "top", "colour": "red"})


# --- loading plugins that declare ----------------------------------------------------------


class _Declares:
    def __init__(self, name: str, *declared: EventType) -> None:
        self.name, self.declared = name, declared

    @hookimpl
    def tessera_manifest(self) -> Manifest:
        return Manifest(name=self.name, label=self.name.title(), version="1.0", api=">=1.0")

    @hookimpl
    def tessera_event_types(self) -> Sequence[EventType]:
        return self.declared


PINNED = EventType("pins.pin.made", "A pin was made", Shared)
good = _Declares("pins", PINNED)
outsider = _Declares("outsider", PINNED)
twice = _Declares("twice", *[EventType("twice.pin.made", "Made", Shared)] * 2)
core_name = _Declares("tessera", EventType("tessera.module.enabled", "Again", Shared))
not_a_type = _Declares("odd", "odd.thing.happened")  # type: ignore[arg-type]


def _load(*names: str) -> PluginRegistry:
    registry = PluginRegistry()
    registry.load(
        EntryPoint(name=name, value=f"{__name__}:{attribute}", group=ENTRY_POINT_GROUP)
        for name, attribute in (n.split("=") for n in names)
    )
    return registry


def test_a_plugin_declares_only_in_its_own_namespace_and_each_type_once() -> None:
    registry = _load(
        "pins=good", "outsider=outsider", "twice=twice", "tessera=core_name", "odd=not_a_type"
    )
    assert list(registry.plugins) == ["pins"]
    assert registry.event_types() == [("pins", PINNED)]
    failures = {f.name: (f.stage, f.reason) for f in registry.failures}
    assert failures["outsider"] == (
        "start",
        "ManifestError: event type 'pins.pin.made' must start with 'outsider'.",
    )
    assert failures["twice"] == (
        "start",
        "ManifestError: event type 'twice.pin.made' is already declared by plugin 'twice'",
    )
    # Named after the platform, it still may not take the platform's own types.
    assert failures["tessera"] == (
        "start",
        "ManifestError: event type 'tessera.module.enabled' is already declared by the platform",
    )
    assert failures["odd"] == (
        "start",
        "ManifestError: tessera_event_types returns tessera.plugin.EventType objects",
    )


def test_the_catalogue_has_the_core_and_every_installed_plugin() -> None:
    catalogue = known_event_types()
    assert {e.name for e in CORE_EVENT_TYPES} <= set(catalogue)
    for name in (
        "crm.deal.won",
        "oa.leave.approved",
        "inventory.delivery.done",
        "notes.note.created",
    ):
        assert name in catalogue
    assert all(e.description for e in catalogue.values())


# --- emitting ----------------------------------------------------------------------------


async def _outbox(owner_db: asyncpg.Connection, tenant_id: str) -> list[str]:
    async with owner_db.transaction():
        await owner_db.execute("SELECT set_config('tessera.tenant_id', $1, true)", tenant_id)
        return [r["type"] for r in await owner_db.fetch("SELECT type FROM event_outbox")]


@pytest.mark.parametrize(
    ("event_type", "payload", "message"),
    [
        ("notes.note.pinned", {"note_id": "x"}, "'notes.note.pinned' is not declared"),
        ("notes.note.created", {"note_id": "x"}, r"missing \['title'\]"),
        ("notes.note.created", {"note_id": "x", "title": "t", "by": "y"}, r"unknown \['by'\]"),
    ],
)
async def test_emit_refuses_what_the_catalogue_does_not_declare(
    client: httpx.AsyncClient,
    live_server: LiveServer,
    owner_db: asyncpg.Connection,
    event_type: str,
    payload: dict[str, str],
    message: str,
) -> None:
    owner = await sign_up(client)
    tenant = uuid.UUID(owner.tenant_id)
    database = Database(runtime_database_url(live_server.settings), pool_size=1)
    try:
        with pytest.raises(EventNotDeclared, match=message):
            async with database.transaction() as db:
                await set_tenant(db, tenant)
                await emit(db, tenant, event_type, payload)
        async with database.transaction() as db:
            await set_tenant(db, tenant)
            await emit(db, tenant, "notes.note.created", {"note_id": "x", "title": "declared"})
    finally:
        await database.dispose()
    assert await _outbox(owner_db, owner.tenant_id) == ["notes.note.created"]


# --- every call site names a declared type -------------------------------------------------


@dataclass(frozen=True)
class CallSite:
    where: str
    #: The concrete types the call can emit; or a pattern (an f-string) it matches.
    names: tuple[str, ...]
    pattern: str | None = None


def _constants(
    node: ast.AST, names: dict[str, ast.expr], seen: frozenset[str] = frozenset()
) -> list[str]:
    """Every event-type-like string an expression can evaluate to, following assigned names."""
    found: list[str] = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            found.append(inner.value)
        elif isinstance(inner, ast.Name) and inner.id in names and inner.id not in seen:
            found += _constants(names[inner.id], names, seen | {inner.id})
    return [s for s in found if re.fullmatch(r"[a-z_]+(\.[a-z_]+){2,5}", s)]


def _source_of(module: str) -> Path | None:
    """The file of a module of ours (``tessera_test_notes.events``), if it is one."""
    relative = module.replace(".", "/") + ".py"
    roots = [ROOT / "platform", *(ROOT / "plugins").iterdir(), *(ROOT / "tests/plugins").iterdir()]
    return next((root / relative for root in roots if (root / relative).is_file()), None)


def _module_names(tree: ast.Module, follow: bool = True) -> dict[str, ast.expr]:
    """Names a module assigns at its top, and those it imports from our other modules."""
    names: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = statement.value
        elif follow and isinstance(statement, ast.ImportFrom) and statement.module:
            source = _source_of(statement.module)
            if source is None:
                continue
            theirs = _module_names(ast.parse(source.read_text()), follow=False)
            for alias in statement.names:
                if alias.name in theirs:
                    names[alias.asname or alias.name] = theirs[alias.name]
    return names


def _local_names(function: ast.AST) -> dict[str, ast.expr]:
    """Names assigned inside a function, tuple unpacking included (``kind, n = "a.b.c", 1``)."""
    names: dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                names[target.id] = node.value
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for element, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(element, ast.Name):
                        prior = names.get(element.id)
                        names[element.id] = (
                            value if prior is None else ast.Tuple([prior, value], ast.Load())
                        )
    return names


def _event_keywords(package: Path) -> list[str]:
    """``event="crm.account.merged"`` in declarations a generic emitter reads (``kind.event``)."""
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "event":
                found += _constants(node.value, {})
    return found


def _pattern(node: ast.JoinedStr) -> str:
    """``f"oa.request.{outcome}"`` -> a regular expression of the names it can make."""
    return "".join(
        re.escape(str(v.value)) if isinstance(v, ast.Constant) else r"[a-z_]+" for v in node.values
    )


def _call_sites() -> Iterator[CallSite]:
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")):
            if ".venv" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            module = _module_names(tree)
            functions = [n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef)]
            for function in functions:
                local = {**module, **_local_names(function)}
                for node in ast.walk(function):
                    if not (isinstance(node, ast.Call) and len(node.args) >= 3):
                        continue
                    called = node.func
                    if getattr(called, "id", getattr(called, "attr", None)) != "emit":
                        continue
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    yield _site(where, node.args[2], local, module, path)


def _site(
    where: str, node: ast.expr, local: dict[str, ast.expr], module: dict[str, ast.expr], path: Path
) -> CallSite:
    if isinstance(node, ast.JoinedStr):
        return CallSite(where, (), _pattern(node))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        # ``EVENT_PREFIX + what``: the prefix is a module constant.
        start = module.get(node.left.id) if isinstance(node.left, ast.Name) else None
        if isinstance(start, ast.Constant):
            return CallSite(where, (), re.escape(str(start.value)) + r"[a-z_]+")
        return CallSite(where, ())
    if isinstance(node, ast.Attribute) and node.attr == "event":
        package = next(p for p in path.parents if p.name.startswith("tessera_"))
        return CallSite(where, tuple(_event_keywords(package)))
    if isinstance(node, ast.Subscript):
        return CallSite(where, tuple(_constants(node.value, module)))
    return CallSite(where, tuple(_constants(node, local)))


CALL_SITES = list(_call_sites())


def test_the_scan_finds_the_call_sites() -> None:
    """Not vacuous: the scan sees the emitters of every kind the code has."""
    assert len(CALL_SITES) >= 75
    wheres = " ".join(site.where for site in CALL_SITES)
    for module in ("tessera/jobs/runner.py", "tessera_crm/merging.py", "tessera_oa/documents.py"):
        assert module in wheres


@pytest.mark.parametrize("site", CALL_SITES, ids=lambda site: site.where)
def test_every_emit_call_site_names_declared_types(site: CallSite) -> None:
    catalogue = known_event_types()
    assert site.names or site.pattern, f"{site.where}: the emitted type could not be read"
    for name in site.names:
        assert name in catalogue, f"{site.where} emits {name!r}, which nothing declares"
    if site.pattern is not None:
        matching = [n for n in catalogue if re.fullmatch(site.pattern, n)]
        assert matching, f"{site.where} emits {site.pattern!r}, which matches no declared type"


# --- the API and webhooks ------------------------------------------------------------------


async def test_any_member_sees_the_core_types_and_those_of_enabled_modules(
    client: httpx.AsyncClient, live_server: LiveServer
) -> None:
    owner = await sign_up(client)
    before = await owner.get("/api/v1/events/types")
    assert before.status_code == 200, before.text
    names = [t["name"] for t in before.json()]
    assert names == sorted(e.name for e in CORE_EVENT_TYPES)
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    async with make_client(live_server) as other:
        member = await join(live_server, owner, other)
        after = await member.get("/api/v1/events/types")
    assert after.status_code == 200, after.text
    by_name = {t["name"]: t for t in after.json()}
    assert set(by_name) == set(names) | {"notes.note.created", "notes.note.shared"}
    assert not any(name.startswith(("crm.", "oa.")) for name in by_name)
    assert by_name["notes.note.shared"] == {
        "name": "notes.note.shared",
        "module": "notes",
        "description": "A note was shown to another member",
        "payload": [
            {"name": "note_id", "type": "UUID", "required": True},
            {"name": "title", "type": "str", "required": True},
            {"name": "user_id", "type": "UUID", "required": True},
        ],
    }


async def test_webhooks_subscribe_to_declared_types_only(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)

    async def register(types: list[str]) -> httpx.Response:
        return await owner.post("/api/v1/webhooks", json={"url": HOOK_URL, "event_types": types})

    for unknown in (["notes.note.created"], ["crm.deal.burnt"], ["tessera.nothing.*"]):
        refused = await register(unknown)
        assert refused.status_code == 422, refused.text
        error = refused.json()["errors"][0]
        assert error["field"] == "event_types"
        assert repr(unknown[0]) in error["message"]
    assert (await owner.get("/api/v1/webhooks")).json() == []
    assert (await owner.post("/api/v1/modules/notes/enable")).status_code == 200
    made = await register(["notes.note.created", "tessera.approval.*"])
    assert made.status_code == 201, made.text
    endpoint = made.json()["endpoint"]
    changed = await owner.client.patch(
        f"/api/v1/webhooks/{endpoint['id']}",
        json={"event_types": ["notes.note.deleted"]},
        headers=owner.headers,
    )
    assert changed.status_code == 422, changed.text
    kept = await owner.get(f"/api/v1/webhooks/{endpoint['id']}")
    assert kept.json()["event_types"] == ["notes.note.created", "tessera.approval.*"]


def test_a_payload_that_hides_not_required_is_refused() -> None:
    class Hidden(TypedDict):
        note_id: uuid.UUID
        reason: NotRequired[str]  # a string here: this module has the __future__ import

    with pytest.raises(ValueError, match=r"\['reason'\] are marked \(Not\)Required"):
        EventType("notes.note.hidden", "Hidden", Hidden)
