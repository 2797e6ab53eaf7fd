"""The public plugin API does not change unannounced, and its versions follow semver."""

from __future__ import annotations

import itertools
import types
import warnings

import pytest
from packaging.version import Version

import tessera.plugin
from tessera.plugin import DEPRECATED, Deprecated
from tessera.plugin.manifest import API_VERSION
from tessera.plugin.surface import (
    SNAPSHOTS,
    Snapshot,
    current_surface,
    describe_module,
    released_snapshots,
    semver_problems,
    unannounced,
)


def test_the_code_matches_the_snapshot_of_its_api_version() -> None:
    snapshot = Snapshot.read(SNAPSHOTS / f"{API_VERSION}.json")
    assert snapshot.version == API_VERSION
    problem = unannounced(snapshot, current_surface())
    assert not problem, problem


def test_the_check_reports_an_export_removed_from_a_copy_of_the_surface() -> None:
    """The same check, run on a copy of tessera.plugin that lost one export, names it."""
    copy = types.ModuleType("tessera.plugin")
    kept = [name for name in tessera.plugin.__all__ if name != "Manifest"]
    copy.__dict__.update({name: getattr(tessera.plugin, name) for name in kept}, __all__=kept)
    snapshot = Snapshot.read(SNAPSHOTS / f"{API_VERSION}.json")
    only_plugin = {
        k: v
        for k, v in snapshot.surface.items()
        if k.startswith("tessera.plugin.")
        and k.count(".") <= 3
        and ".hookspecs." not in k
        and ".testing." not in k
    }
    problem = unannounced(Snapshot(snapshot.version, only_plugin, {}), describe_module(copy))
    assert "removed: tessera.plugin.Manifest (class())" in problem
    assert "removed: tessera.plugin.Manifest.api (field: str)" in problem
    assert "tessera.plugin.Page" not in problem, "only what is gone is reported"


def test_a_changed_signature_is_reported_as_changed() -> None:
    snapshot = Snapshot.read(SNAPSHOTS / f"{API_VERSION}.json")
    surface = dict(current_surface())
    surface["tessera.plugin.emit"] = "async function(db, tenant_id, event_type)"
    assert "changed: tessera.plugin.emit:" in unannounced(snapshot, surface)


def test_released_versions_follow_semantic_versioning() -> None:
    released = released_snapshots()
    assert released[-1].version == API_VERSION, "the newest snapshot is the current version"
    for older, newer in itertools.pairwise(released):
        assert semver_problems(older, newer) == []


def _snapshot(
    version: str, surface: dict[str, str], deprecated: dict[str, str] | None = None
) -> Snapshot:
    return Snapshot(Version(version), surface, deprecated or {})


def test_semver_rules_for_removing_changing_and_deprecating() -> None:
    base = {"tessera.plugin.old": "function()", "tessera.plugin.kept": "function(a)"}
    added = {**base, "tessera.plugin.new": "function()"}
    assert semver_problems(_snapshot("1.0", base), _snapshot("1.1", added)) == []
    removed = {"tessera.plugin.kept": "function(a)"}
    [problem] = semver_problems(_snapshot("1.0", base), _snapshot("1.1", removed))
    assert "tessera.plugin.old is removed or changed in 1.1" in problem
    assert semver_problems(_snapshot("1.0", base), _snapshot("2.0", removed)) == []
    changed = {**base, "tessera.plugin.kept": "function(a, b)"}
    assert semver_problems(_snapshot("1.0", base), _snapshot("1.1", changed))
    # Deprecated in 1.1: still there in 1.2, may go in 1.3.
    deprecated = _snapshot("1.1", base, {"tessera.plugin.old": "1.1"})
    assert (
        "must keep working through 1.2" in semver_problems(deprecated, _snapshot("1.2", removed))[0]
    )
    assert semver_problems(deprecated, _snapshot("1.3", removed)) == []
    assert semver_problems(_snapshot("1.1", base), _snapshot("1.1", base))


def test_a_deprecated_name_keeps_working_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(DEPRECATED, "Manifesto", Deprecated(replacement="Manifest", since="1.0"))
    monkeypatch.setitem(DEPRECATED, "paginate", Deprecated(replacement="page_of", since="1.0"))
    with pytest.warns(DeprecationWarning, match=r"tessera\.plugin\.Manifesto is deprecated"):
        from tessera.plugin import Manifesto
    assert Manifesto is tessera.plugin.Manifest
    with pytest.warns(DeprecationWarning, match="use tessera.plugin.page_of"):
        assert tessera.plugin.paginate is tessera.plugin.page_of
    surface = describe_module(tessera.plugin)
    assert surface["tessera.plugin.Manifesto"] == "deprecated alias of Manifest"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tessera.plugin.Manifest is not None  # the current name never warns
