"""The tutorial (docs/plugins/tutorial.md), replayed on what ``tessera plugin new`` generates.

The real command, as the page gives it, makes the project the tutorial starts from. Every
Python block of the page names its file (``title="..."``) and is taken from the page itself: a
new file is written whole; a fragment of a generated file is merged into it (its imports joined
to the file's, ``class X: ...`` extended, a generated definition of the same name replaced, a
new definition put before the anchor this module names). The edits the page tells in prose are
the named functions below, each anchored on the exact generated text it changes: a template
renamed or a page edited without the other fails here, saying which text went missing.

The result must pass ruff and mypy as its own pyproject configures them, build into the wheel
the page names, load in ``tessera plugins list`` as the page shows, and pass its tests: the
generated ones and the tutorial's, counted in the JUnit report.
"""

from __future__ import annotations

import ast
import re
import shlex
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.devkit.generated import ROOT, Installed, build_and_install, run, tessera_plugin_new

# One worker replays the tutorial once for the whole module (make test runs --dist loadgroup).
pytestmark = [pytest.mark.xdist_group("tutorial"), pytest.mark.timeout(600)]

TUTORIAL = ROOT / "docs" / "plugins" / "tutorial.md"
NAME = "equipment"
PACKAGE = f"tessera_{NAME}"

FENCE = re.compile(
    r'^```(?P<lang>\w+)(?P<title> title="[^"]*")?\n(?P<code>.*?)^```$', re.MULTILINE | re.DOTALL
)


# --- The page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tutorial:
    markdown: str
    #: Each titled block's code, by its title: the file's path in the project.
    blocks: dict[str, str]

    @classmethod
    def read(cls) -> Tutorial:
        markdown = TUTORIAL.read_text()
        blocks: dict[str, str] = {}
        for fence in FENCE.finditer(markdown):
            if fence["lang"] != "python":
                continue
            assert fence["title"], f"a Python block without a title:\n{fence['code'][:300]}"
            title = fence["title"].removeprefix(' title="').removesuffix('"')
            assert title not in blocks, f"two blocks are titled {title}"
            blocks[title] = fence["code"]
        return cls(markdown, blocks)

    def section(self, number: int) -> str:
        """The text of ``## number.`` up to the next section."""
        found = re.search(rf"^## {number}\. .*?(?=^## |\Z)", self.markdown, re.M | re.S)
        assert found, f"the tutorial has no section {number}"
        return found[0]

    def tree(self) -> tuple[str, set[str]]:
        """Step 2's picture of the generated project: its folder, and the files it shows."""
        [tree] = re.findall(r"^```\n(.*?)^```$", self.section(2), re.MULTILINE | re.DOTALL)
        root, *entries = tree.splitlines()
        folders: list[str] = []
        files: set[str] = set()
        for line in entries:
            depth = (len(line) - len(line.lstrip())) // 2
            name = line.split()[0]
            del folders[depth - 1 :]
            if name.endswith("/"):
                folders.append(name)
            else:
                files.add("".join(folders) + name)
        return root.strip().removesuffix("/"), files

    def shell_lines(self, starting: str) -> list[str]:
        """The lines of the page's ``sh`` blocks that start with ``starting``."""
        return [
            line
            for fence in FENCE.finditer(self.markdown)
            if fence["lang"] == "sh"
            for line in fence["code"].splitlines()
            if line.startswith(starting)
        ]


# --- Edits that fail loudly -----------------------------------------------------------------


def replace_once(path: Path, anchor: str, new: str) -> None:
    """``anchor`` replaced by ``new``. The anchor starts a line (so ``PERMISSIONS = (`` is not
    found inside ``ALL_PERMISSIONS = (``) and must be found exactly once in the file."""
    text = path.read_text()
    found = [m.start() for m in re.finditer(f"^{re.escape(anchor)}", text, re.MULTILINE)]
    assert len(found) == 1, (
        f"{path.name}: the tutorial's edit expects this generated text once at a line's start, "
        f"found it {len(found)}x (was the template changed? change the tutorial and this test "
        f"with it):\n{anchor}"
    )
    [at] = found
    path.write_text(text[:at] + new + text[at + len(anchor) :])


def insert_before(path: Path, anchor: str, new: str) -> None:
    replace_once(path, anchor, new + anchor)


def insert_after(path: Path, anchor: str, new: str) -> None:
    replace_once(path, anchor, anchor + new)


def name_of(statement: ast.stmt) -> str | None:
    """The one name a top-level statement defines, if it is a plain definition."""
    match statement:
        case ast.Assign(targets=[ast.Name(id=name)]) | ast.AnnAssign(target=ast.Name(id=name)):
            return name
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(name=name):
            return name
    return None


def defined_name(statement: ast.stmt) -> str:
    name = name_of(statement)
    assert name, f"the test cannot merge this statement: {ast.unparse(statement)}"
    return name


def top_level(path: Path) -> dict[str, ast.stmt]:
    """The file's top-level definitions by name."""
    found = ((name_of(s), s) for s in ast.parse(path.read_text()).body)
    return {name: s for name, s in found if name}


def import_order(name: str) -> tuple[int, str]:
    """ruff's isort order within one ``from`` import: constants, classes, the rest."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def join_import(path: Path, wanted: ast.Import | ast.ImportFrom) -> None:
    """The file imports what the fragment does: a name missing from an existing ``from M
    import`` line is added to it; a module the file does not import at all fails."""
    body = ast.parse(path.read_text()).body
    if isinstance(wanted, ast.Import):
        have = {a.name for s in body if isinstance(s, ast.Import) for a in s.names}
        missing = {a.name for a in wanted.names} - have
        assert not missing, f"{path.name} does not import {missing}: the tutorial must say where"
        return
    same = [s for s in body if isinstance(s, ast.ImportFrom) and s.module == wanted.module]
    assert same, f"{path.name} has no `from {wanted.module} import`: the tutorial must say where"
    have = {a.name for s in same for a in s.names}
    missing = {a.name for a in wanted.names} - have
    if not missing:
        return
    [line] = same
    assert line.lineno == line.end_lineno, f"{path.name}: `from {wanted.module}` spans lines"
    names = sorted(have | missing, key=import_order)
    replace_once(
        path, f"{ast.unparse(line)}\n", f"from {wanted.module} import {', '.join(names)}\n"
    )


def extends_a_class(statement: ast.stmt) -> bool:
    """``class X(...):`` whose body opens with ``...``: what follows is added to the class."""
    return (
        isinstance(statement, ast.ClassDef)
        and isinstance(statement.body[0], ast.Expr)
        and isinstance(statement.body[0].value, ast.Constant)
        and statement.body[0].value.value is Ellipsis
        and len(statement.body) > 1
    )


def bases(cls: ast.ClassDef) -> str:
    return ", ".join(ast.unparse(base) for base in cls.bases)


def extend_class(path: Path, fragment: ast.ClassDef, lines: list[str]) -> None:
    generated = top_level(path).get(fragment.name)
    assert isinstance(generated, ast.ClassDef), f"{path.name} has no class {fragment.name}"
    shown, made = bases(fragment), bases(generated)
    assert shown == made, (
        f"{path.name}: the tutorial shows {fragment.name}({shown}), the template makes "
        f"{fragment.name}({made})"
    )
    assert fragment.end_lineno is not None and generated.end_lineno is not None
    added = lines[fragment.body[1].lineno - 1 : fragment.end_lineno]
    text = path.read_text().splitlines()
    text[generated.end_lineno : generated.end_lineno] = added
    path.write_text("\n".join(text) + "\n")


def replace_definition(path: Path, name: str, source: str) -> None:
    generated = top_level(path)[name]
    assert generated.end_lineno is not None
    text = path.read_text().splitlines()
    text[generated.lineno - 1 : generated.end_lineno] = source.splitlines()
    path.write_text("\n".join(text) + "\n")


def merge_fragment(path: Path, fragment: str, *, new_before: str | None = None) -> None:
    """A tutorial block for a generated file, merged into it (see the module's docstring)."""
    assert path.exists(), f"the tutorial shows a fragment of {path.name}, which is not generated"
    lines = fragment.splitlines()
    new: list[str] = []
    new_names: list[str] = []
    previous_end = 0
    for statement in ast.parse(fragment).body:
        assert statement.end_lineno is not None
        # With the comments and blank lines before it, as the page has them.
        with_lead = "\n".join(lines[previous_end : statement.end_lineno])
        own = "\n".join(lines[statement.lineno - 1 : statement.end_lineno])
        previous_end = statement.end_lineno
        if isinstance(statement, ast.Import | ast.ImportFrom):
            join_import(path, statement)
        elif extends_a_class(statement):
            assert isinstance(statement, ast.ClassDef)
            extend_class(path, statement, lines)
        elif defined_name(statement) in top_level(path):
            replace_definition(path, defined_name(statement), own)
        else:
            new.append(with_lead)
            new_names.append(defined_name(statement))
    if new:
        assert new_before, (
            f"{path.name} does not define {new_names}, which the tutorial's block does: renamed "
            "in the template? (if they are new, the step must say where they go)"
        )
        insert_before(path, new_before, "\n".join(new).strip("\n") + "\n\n\n")


def add_to_tuple(path: Path, name: str, element: str) -> None:
    """``element`` last in the generated ``NAME = (...)``."""
    statement = top_level(path).get(name)
    assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple), (
        f"{path.name} has no tuple {name}"
    )
    assert statement.end_lineno is not None
    text = path.read_text().splitlines()
    last = statement.end_lineno - 1
    if statement.lineno == statement.end_lineno:  # NAME = (a,) or (a, b)
        text[last] = f"{text[last].removesuffix(')').removesuffix(',')}, {element})"
    else:
        assert text[last] == ")", f"{path.name}: {name} does not end with a ')' line"
        text.insert(last, f"    {element},")
    path.write_text("\n".join(text) + "\n")


def new_file(path: Path, code: str) -> None:
    assert not path.exists(), f"the tutorial makes {path.name}, but the template generates it"
    path.write_text(code)


# --- The tutorial's steps, in its order -----------------------------------------------------


@dataclass
class Replay:
    project: Path
    tutorial: Tutorial
    used: set[str]

    def file(self, relative: str) -> Path:
        return self.project / relative

    def block(self, relative: str) -> str:
        assert relative in self.tutorial.blocks, f"the tutorial has no block titled {relative}"
        self.used.add(relative)
        return self.tutorial.blocks[relative]

    def merge(self, relative: str, *, new_before: str | None = None) -> None:
        merge_fragment(self.file(relative), self.block(relative), new_before=new_before)

    def write(self, relative: str) -> None:
        new_file(self.file(relative), self.block(relative))


def step3_a_field_and_its_migration(r: Replay) -> None:
    r.merge(f"{PACKAGE}/models.py")
    r.write(f"{PACKAGE}/migrations/{NAME}_0002_serial_number.py")
    r.merge(f"{PACKAGE}/schemas.py", new_before="class ItemIn(Input):\n")
    pass_the_serial_number_through_the_service(r.file(f"{PACKAGE}/service.py"))
    give_out_the_serial_number(r.file(f"{PACKAGE}/routes.py"))


def pass_the_serial_number_through_the_service(service: Path) -> None:
    """The page: "in service.py pass serial_number=data.serial_number where create_item makes
    the Item, and copy it in update_item when it is not None, as the other fields are"."""
    insert_after(
        service, "        notes=data.notes,\n", "        serial_number=data.serial_number,\n"
    )
    insert_after(
        service,
        "    if data.notes is not None:\n        item.notes = data.notes\n",
        "    if data.serial_number is not None:\n        item.serial_number = data.serial_number\n",
    )


def give_out_the_serial_number(routes: Path) -> None:
    """The page: "in routes.py _out builds ItemOut from the item: give it item.serial_number
    last"."""
    replace_once(
        routes,
        "    return ItemOut(item.id, item.name, item.status, item.amount, item.notes, "
        "item.owner_id)\n",
        "    return ItemOut(\n"
        "        item.id, item.name, item.status, item.amount, item.notes, item.owner_id, "
        "item.serial_number\n"
        "    )\n",
    )


def step4_a_permission_and_a_route(r: Replay) -> None:
    add_the_retired_status(r.file(f"{PACKAGE}/models.py"), r.file(f"{PACKAGE}/routes.py"))
    permissions = f"{PACKAGE}/permissions.py"
    r.merge(permissions, new_before="PERMISSIONS = (\n")
    # "put RETIRE_PERMISSION in the PERMISSIONS tuple there"
    add_to_tuple(r.file(permissions), "PERMISSIONS", "RETIRE_PERMISSION")
    r.write(f"{PACKAGE}/retiring.py")
    mount_the_retire_controller(r.file(f"{PACKAGE}/plugin.py"))


def add_the_retired_status(models: Path, routes: Path) -> None:
    """The page: "add "retired" to STATUSES in models.py, and to the Literal of StatusFilter in
    routes.py"."""
    statuses = '"draft", "pending", "approved", "rejected"'
    replace_once(models, f"STATUSES = ({statuses})\n", f'STATUSES = ({statuses}, "retired")\n')
    replace_once(
        routes,
        f"    Literal[{statuses}] | None,\n",
        f'    Literal[{statuses}, "retired"] | None,\n',
    )


def mount_the_retire_controller(plugin: Path) -> None:
    """The page: "Return RetireController from tessera_routes in plugin.py, after
    ItemsController"."""
    insert_before(
        plugin,
        f"from {PACKAGE}.routes import ItemsController\n",
        f"from {PACKAGE}.retiring import RetireController\n",
    )
    replace_once(
        plugin, "    return [ItemsController]\n", "    return [ItemsController, RetireController]\n"
    )


def step5_an_event_and_its_handler(r: Replay) -> None:
    event_types = f"{PACKAGE}/event_types.py"
    r.merge(event_types, new_before="EVENT_TYPES = (")
    # "add RETIRED to EVENT_TYPES there"
    add_to_tuple(r.file(event_types), "EVENT_TYPES", "RETIRED")
    events = f"{PACKAGE}/events.py"
    r.merge(events, new_before="HANDLERS = (\n")
    # "add RETIRED_HANDLER to HANDLERS there"
    add_to_tuple(r.file(events), "HANDLERS", "RETIRED_HANDLER")


def step6_an_approval_with_two_steps(r: Replay) -> None:
    approval = f"{PACKAGE}/approval.py"
    key = re.compile(r'key="([^"]+)"')
    generated = key.findall(r.file(approval).read_text())
    r.merge(approval)
    # "Keep the key the generated template has."
    assert key.findall(r.file(approval).read_text()) == generated, "the workflow's key changed"


def step7_screens(r: Replay) -> None:
    r.merge(f"{PACKAGE}/ui.py")
    translate_the_new_texts(r.file(f"{PACKAGE}/translations.py"), r.tutorial.section(7))


def translate_the_new_texts(translations: Path, section: str) -> None:
    """The pairs the section gives as `"English": "中文"`, added to ZH."""
    pairs = re.findall(r'`"([^"`]+)": "([^"`]+)"`', section)
    assert len(pairs) >= 5, f"step 7 gives {pairs}"
    entries = "".join(f'    "{english}": "{chinese}",\n' for english, chinese in pairs)
    insert_before(translations, "}\n", f"    # Retiring.\n{entries}")


def step8_a_test(r: Replay) -> None:
    r.write("tests/test_retiring.py")


STEPS: tuple[Callable[[Replay], None], ...] = (
    step3_a_field_and_its_migration,
    step4_a_permission_and_a_route,
    step5_an_event_and_its_handler,
    step6_an_approval_with_two_steps,
    step7_screens,
    step8_a_test,
)


# --- The replay, and what it must pass ------------------------------------------------------


@dataclass(frozen=True)
class Replayed:
    tutorial: Tutorial
    plugin: Installed
    #: The files the command generated (relative paths), before any step.
    generated_files: set[str]
    #: How many tests the untouched generated project collects.
    generated_tests: int


def collected(project: Path, admin_url: str) -> int:
    listed = run(
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
        cwd=project, TESSERA_TEST_DATABASE_URL=admin_url,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stdout[-3000:] + listed.stderr[-2000:]
    found = re.search(r"^(\d+) tests? collected", listed.stdout, re.MULTILINE)
    assert found, listed.stdout[-2000:]
    return int(found[1])


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory, admin_url: str) -> Replayed:
    tutorial = Tutorial.read()
    workdir = tmp_path_factory.mktemp("tutorial")
    [command] = tutorial.shell_lines("tessera plugin new ")
    words = shlex.split(command)
    assert words[:4] == ["tessera", "plugin", "new", NAME], command
    name, *options = words[3:]
    made = tessera_plugin_new(name, *options, cwd=workdir)
    assert made.returncode == 0, made.stderr
    [project] = [p for p in workdir.iterdir() if p.is_dir()]
    generated_files = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    generated_tests = collected(project, admin_url)

    replay = Replay(project, tutorial, used=set())
    for step in STEPS:
        step(replay)
    assert replay.used == set(tutorial.blocks), (
        f"blocks no step replays: {set(tutorial.blocks) - replay.used}"
    )
    plugin = build_and_install(project, workdir / "site")
    return Replayed(tutorial, plugin, generated_files, generated_tests)


def test_every_python_block_of_the_tutorial_names_its_file_and_parses() -> None:
    """Cheap, before the replay: which blocks a step uses is checked by the replay itself."""
    tutorial = Tutorial.read()
    assert f"{PACKAGE}/retiring.py" in tutorial.blocks, set(tutorial.blocks)
    for relative, code in tutorial.blocks.items():
        assert relative.startswith((f"{PACKAGE}/", "tests/")), relative
        ast.parse(code, filename=relative)


def test_step_2_pictures_what_the_command_generates(replayed: Replayed) -> None:
    folder, shown = replayed.tutorial.tree()
    assert replayed.plugin.project.name == folder
    # Left out of the picture, as nothing a reader edits.
    unshown = {".copier-answers.yml", "__init__.py", "py.typed"}
    generated = {f for f in replayed.generated_files if Path(f).name not in unshown}
    assert shown == generated, shown ^ generated


def test_the_replayed_plugin_passes_ruff_and_mypy(replayed: Replayed) -> None:
    venv = Path(sys.executable).parent
    checks = (
        (venv / "ruff", "check", "."),
        (venv / "ruff", "format", "--diff", "."),
        (venv / "mypy",),
    )
    plugin = replayed.plugin
    for command in checks:
        checked = run(*command, cwd=plugin.project, PYTHONPATH=plugin.pythonpath())
        assert checked.returncode == 0, f"{command}: {checked.stdout}{checked.stderr}"


def test_the_wheel_installs_and_loads_as_the_tutorial_shows(
    replayed: Replayed, tmp_path: Path
) -> None:
    [install] = replayed.tutorial.shell_lines("pip install dist/")
    assert replayed.plugin.wheel.name == install.removeprefix("pip install dist/"), install

    [listing] = replayed.tutorial.shell_lines("tessera plugins list")
    shown = listing.split("#", 1)[1].split("(or")[0].split()
    listed = run(
        Path(sys.executable).parent / "tessera", "plugins", "list",
        cwd=tmp_path, PYTHONPATH=replayed.plugin.pythonpath(),
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    ours = [line.split() for line in listed.stdout.splitlines() if line.startswith(f"{NAME} ")]
    assert ours == [shown], listed.stdout


def test_the_replayed_plugin_passes_the_generated_tests_and_the_tutorials(
    replayed: Replayed, tmp_path: Path, admin_url: str
) -> None:
    plugin = replayed.plugin
    report = tmp_path / "junit.xml"
    tested = run(
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}",
        cwd=plugin.project,
        PYTHONPATH=plugin.pythonpath(),
        TESSERA_TEST_DATABASE_URL=admin_url,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-2000:]

    tutorials = {
        node.name
        for node in ast.parse(replayed.tutorial.blocks["tests/test_retiring.py"]).body
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name.startswith("test")
    }
    assert tutorials, "the tutorial's test file has no tests"
    # Our own pytest wrote it, just now.
    root = ET.parse(report).getroot()  # noqa: S314
    [suite] = root.iter("testsuite")
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["failures"] == counts["errors"] == counts["skipped"] == 0, counts
    assert counts["tests"] == replayed.generated_tests + len(tutorials), counts
    ran = {
        case.get("name")
        for case in suite.iter("testcase")
        if case.get("classname") == "tests.test_retiring"
    }
    assert ran == tutorials
