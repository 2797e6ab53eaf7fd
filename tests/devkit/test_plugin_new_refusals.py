"""``tessera plugin new`` refuses what would not make a working plugin, with a clear message
and exit code 2, and writes nothing then."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.devkit.generated import tessera_plugin_new


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("Gadgets", (), "not a plugin name"),
        ("9lives", (), "not a plugin name"),
        ("g", (), "not a plugin name"),
        ("my-plugin", (), "not a plugin name"),
        ("x" * 41, (), "not a plugin name"),
        ("class", (), "Python keyword"),
        ("def", (), "Python keyword"),
        ("workflow", (), "part of Tessera's core"),
        # The suite's own test plugin, installed in this environment.
        ("notes", (), "already installed"),
        ("gadgets", ("--label", 'Say "hi"'), "not a label"),
        ("gadgets", ("--label", ""), "not a label"),
    ],
)
def test_a_bad_name_or_label_is_refused(
    tmp_path: Path, name: str, options: tuple[str, ...], message: str
) -> None:
    refused = tessera_plugin_new(name, *options, cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert message in refused.stderr
    assert list(tmp_path.iterdir()) == [], "nothing was written"


def test_an_existing_destination_with_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "mine.txt").write_text("keep me")
    refused = tessera_plugin_new("gadgets", "--dest", str(dest), cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "already exists" in refused.stderr
    assert [p.name for p in dest.iterdir()] == ["mine.txt"]
    assert (dest / "mine.txt").read_text() == "keep me"

    a_file = tmp_path / "a-file"
    a_file.write_text("")
    refused = tessera_plugin_new("gadgets", "--dest", str(a_file), cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr


def test_an_empty_destination_is_filled_and_the_label_is_used(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    made = tessera_plugin_new("gadgets", "--dest", str(dest), "--label", "My gadgets", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert 'label="My gadgets"' in (dest / "tessera_gadgets" / "plugin.py").read_text()
    assert "My gadgets" in (dest / "README.md").read_text()


def test_without_the_core_migrations_it_says_where_to_point(tmp_path: Path) -> None:
    refused = tessera_plugin_new(
        "gadgets", cwd=tmp_path, TESSERA_MIGRATIONS_DIR=str(tmp_path / "nowhere")
    )
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "TESSERA_MIGRATIONS_DIR" in refused.stderr
    assert list(tmp_path.iterdir()) == []
