"""`tessera db citus-plan`: every table has a place on Citus, and the schema allows it.

The plan is read off the models; the checks here read the migrated database itself
(pg_catalog), so a table, key or index made by a migration alone is held to the same rules.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
from click.testing import CliRunner
from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.schema import SchemaItem

from tessera.cli import main
from tessera.db.base import PLATFORM_TABLES
from tessera.db.citus import CitusPlan, citus_plan
from tessera.db.migrations import VERSION_TABLE
from tessera.metadata import load_metadata

TESSERA = Path(sys.executable).parent / "tessera"
PLAN = citus_plan(load_metadata(), platform_tables=PLATFORM_TABLES, local_tables=(VERSION_TABLE,))

PUBLIC_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
"""
#: Every foreign key, with the position of tenant_id on each side (NULL where it is absent).
FOREIGN_KEYS = """
SELECT c.conname, c.conrelid::regclass::text AS source, c.confrelid::regclass::text AS target,
       array_position(c.conkey, (SELECT attnum FROM pg_attribute
                                  WHERE attrelid = c.conrelid AND attname = 'tenant_id'))
           AS source_position,
       array_position(c.confkey, (SELECT attnum FROM pg_attribute
                                   WHERE attrelid = c.confrelid AND attname = 'tenant_id'))
           AS target_position
  FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
"""
#: Every unique or exclusion index, and whether tenant_id is a key column of it.
UNIQUE_INDEXES = """
SELECT t.relname AS "table", i.relname AS "index", x.indisexclusion AS exclusion,
       a.attnum = ANY (x.indkey::int2[]) AS has_tenant,
       (SELECT o.oprname FROM pg_constraint k, pg_operator o
         WHERE k.conindid = x.indexrelid AND k.contype = 'x'
           AND o.oid = k.conexclop[array_position(k.conkey, a.attnum)]) AS tenant_operator
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = 'tenant_id'
 WHERE t.relnamespace = 'public'::regnamespace AND (x.indisunique OR x.indisexclusion)
"""


def test_the_real_schema_can_be_distributed() -> None:
    assert PLAN.problems == ()
    assert PLAN.colocated_with is not None
    assert set(PLAN.reference) == PLATFORM_TABLES
    assert PLAN.local == (VERSION_TABLE,)


async def test_the_plan_places_every_table_of_the_database(owner_db: asyncpg.Connection) -> None:
    """Nothing in the public schema is forgotten, and nothing planned is missing from it. The
    migration history is named on purpose: it stays a plain table on the coordinator, where
    `tessera migrate` runs."""
    in_database = {row["relname"] for row in await owner_db.fetch(PUBLIC_TABLES)}
    assert set(PLAN.tables) == in_database
    assert len(PLAN.tables) == len(PLAN.reference) + len(PLAN.distributed) + len(PLAN.local)


async def test_tenant_tables_keep_tenant_id_in_every_key_between_them(
    owner_db: asyncpg.Connection,
) -> None:
    distributed, broken = set(PLAN.distributed), []
    for fk in await owner_db.fetch(FOREIGN_KEYS):
        source_distributed = fk["source"] in distributed
        if fk["target"] in distributed and not source_distributed:
            broken.append(f"{fk['conname']}: global {fk['source']} -> tenant {fk['target']}")
        elif fk["target"] in distributed and (
            fk["source_position"] is None or fk["source_position"] != fk["target_position"]
        ):
            broken.append(f"{fk['conname']}: {fk['source']} -> {fk['target']} unpaired tenant_id")
    assert broken == []


async def test_tenant_tables_keep_tenant_id_in_every_unique_and_exclusion_index(
    owner_db: asyncpg.Connection,
) -> None:
    distributed, broken = set(PLAN.distributed), []
    for index in await owner_db.fetch(UNIQUE_INDEXES):
        if index["table"] not in distributed:
            continue
        if not index["has_tenant"]:
            broken.append(f"{index['table']}: {index['index']} lacks tenant_id")
        elif index["exclusion"] and index["tenant_operator"] != "=":
            broken.append(f"{index['table']}: {index['index']} lacks tenant_id WITH =")
    assert broken == []


async def test_tenant_ids_of_distributed_tables_are_never_null(
    owner_db: asyncpg.Connection,
) -> None:
    nullable = await owner_db.fetch(
        "SELECT attrelid::regclass::text AS t FROM pg_attribute WHERE attname = 'tenant_id' "
        "AND NOT attnotnull AND attrelid::regclass::text = ANY($1::text[])",
        list(PLAN.distributed),
    )
    assert [row["t"] for row in nullable] == []


def test_every_table_comes_after_the_tables_it_points_at() -> None:
    position = {name: n for n, name in enumerate((*PLAN.reference, *PLAN.distributed))}
    metadata = load_metadata()
    for name in position:
        for fk in metadata.tables[name].foreign_key_constraints:
            target = fk.referred_table.name
            if target != name:
                assert position[target] < position[name], f"{name} before {target}"


def test_the_command_prints_one_statement_per_table() -> None:
    result = subprocess.run(
        [str(TESSERA), "db", "citus-plan"],
        env={k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("-- Tessera on Citus")
    references = re.findall(r"^SELECT create_reference_table\('(\w+)'\);$", result.stdout, re.M)
    distributed = re.findall(
        r"^SELECT create_distributed_table\('(\w+)', 'tenant_id'(?:, colocate_with => '(\w+)')?\);$",
        result.stdout,
        re.M,
    )
    assert references == list(PLAN.reference)
    assert [table for table, _ in distributed] == list(PLAN.distributed)
    anchor = PLAN.distributed[0]
    assert distributed[0] == (anchor, "")
    assert {colocated for _, colocated in distributed[1:]} == {anchor}


# --- the checks can fail ---------------------------------------------------------------------


def _tenant_table(
    metadata: MetaData, name: str, *extra: SchemaItem, nullable: bool = False
) -> Table:
    return Table(
        name,
        metadata,
        Column("tenant_id", Uuid, nullable=nullable),
        Column("id", Uuid),
        Column("ref_id", Uuid),
        Column("code", Integer),
        *extra,
    )


def _synthetic(*bad: tuple[str, tuple[SchemaItem, ...]], nullable: str = "") -> CitusPlan:
    """A small schema that is right (a global table, two tenant tables with a proper key
    between them), plus the tables in ``bad``."""
    metadata = MetaData()
    Table("tenant", metadata, Column("id", Uuid, primary_key=True))
    owned = ForeignKeyConstraint(["tenant_id"], ["tenant.id"])
    _tenant_table(metadata, "parent", PrimaryKeyConstraint("tenant_id", "id"), owned)
    _tenant_table(
        metadata,
        "child",
        PrimaryKeyConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "ref_id"], ["parent.tenant_id", "parent.id"]),
        UniqueConstraint("tenant_id", "code", name="uq_child_code"),
    )
    for name, extra in bad:
        if name == "global_row":
            Table(
                name, metadata, Column("id", Uuid, primary_key=True), Column("ref_id", Uuid), *extra
            )
        else:
            _tenant_table(metadata, name, *extra, nullable=name == nullable)
    return citus_plan(metadata, platform_tables={"tenant", "global_row"})


def test_a_right_schema_gets_a_plan_in_key_order() -> None:
    plan = _synthetic()
    assert plan.problems == ()
    assert plan.reference == ("tenant",)
    assert plan.distributed == ("parent", "child")
    assert plan.sql().splitlines()[-2:] == [
        "SELECT create_distributed_table('parent', 'tenant_id');",
        "SELECT create_distributed_table('child', 'tenant_id', colocate_with => 'parent');",
    ]


def _pk() -> PrimaryKeyConstraint:
    return PrimaryKeyConstraint("tenant_id", "id")


#: Each breach: the table (its name and a maker of its constraints: a constraint belongs to one
#: table, so every run makes its own) and the start of the problem the plan must report.
BAD_TABLES: dict[str, tuple[str, Callable[[], tuple[SchemaItem, ...]], str]] = {
    "primary key without tenant_id": (
        "bad",
        lambda: (PrimaryKeyConstraint("id"),),
        "bad: primary key ['id'] lacks tenant_id",
    ),
    "unique constraint without tenant_id": (
        "bad",
        lambda: (_pk(), UniqueConstraint("code", name="uq_bad_code")),
        "bad: unique constraint uq_bad_code ['code'] lacks tenant_id",
    ),
    "unique index without tenant_id": (
        "bad",
        lambda: (_pk(), Index("ix_bad_code", "code", unique=True)),
        "bad: unique index ix_bad_code lacks tenant_id",
    ),
    "exclusion constraint without tenant_id": (
        "bad",
        lambda: (_pk(), ExcludeConstraint(("code", "="), name="ex_bad_code")),
        "bad: exclusion constraint ex_bad_code lacks tenant_id WITH =",
    ),
    "foreign key without tenant_id": (
        "bad",
        lambda: (_pk(), ForeignKeyConstraint(["ref_id"], ["parent.id"], name="fk_bad_parent")),
        "bad: foreign key fk_bad_parent ['ref_id'] -> parent['id'] does not pair tenant_id",
    ),
    "foreign key pairing tenant_id with another column": (
        "bad",
        lambda: (
            _pk(),
            ForeignKeyConstraint(
                ["tenant_id", "ref_id"], ["parent.id", "parent.tenant_id"], name="fk_bad_swap"
            ),
        ),
        "bad: foreign key fk_bad_swap ['tenant_id', 'ref_id'] -> parent['id', 'tenant_id']",
    ),
    "global table pointing at a tenant table": (
        "global_row",
        lambda: (ForeignKeyConstraint(["ref_id"], ["parent.id"], name="fk_global"),),
        "global_row: global table has foreign key fk_global to tenant-owned parent",
    ),
    "nullable tenant_id": (
        "loose",
        lambda: (PrimaryKeyConstraint("id", "code"),),
        "loose: tenant_id may be NULL",
    ),
}


@pytest.mark.parametrize(("name", "make", "expected"), BAD_TABLES.values(), ids=list(BAD_TABLES))
def test_each_breach_is_named(
    name: str, make: Callable[[], tuple[SchemaItem, ...]], expected: str
) -> None:
    plan = _synthetic((name, make()), nullable="loose")
    assert any(problem.startswith(expected) for problem in plan.problems), plan.problems
    # The loose table's key lacks tenant_id as well: two breaches, both named.
    assert len(plan.problems) == (2 if name == "loose" else 1), plan.problems
    with pytest.raises(ValueError, match="problems"):
        plan.sql()


@pytest.fixture
def bad_table_in_the_models() -> Iterator[Table]:
    """A tenant-owned table whose unique rule spans tenants, among the real models for the
    length of one test (the command reads the metadata of the running process)."""
    metadata = load_metadata()
    table = Table(
        "citus_probe",
        metadata,
        Column("tenant_id", Uuid, primary_key=True),
        Column("id", Uuid, primary_key=True),
        Column("code", Integer),
        UniqueConstraint("code", name="uq_citus_probe_code"),
    )
    yield table
    metadata.remove(table)


def test_the_command_refuses_a_schema_with_breaches(bad_table_in_the_models: Table) -> None:
    result = CliRunner().invoke(main, ["db", "citus-plan"])
    assert result.exit_code == 1
    assert "create_distributed_table" not in result.stdout
    assert "citus_probe: unique constraint uq_citus_probe_code ['code'] lacks tenant_id" in (
        result.stderr
    )
