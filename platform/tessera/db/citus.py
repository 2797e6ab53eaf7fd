"""How Tessera's tables would be laid out on Citus, read off the table metadata.

Every table that carries ``tenant_id`` (and is not one of the named platform tables) becomes a
table distributed by ``tenant_id``, all of them co-located, so that everything one tenant owns
lives on one node and a tenant's joins and foreign keys never leave it. Every other table is a
reference table: copied to every node, so a tenant's rows can join it and point at it locally.

Citus can only do that when each tenant-owned table keeps ``tenant_id`` in its primary key,
in each unique or exclusion constraint and in each foreign key to another tenant-owned table,
and when no reference table points at a distributed one. :func:`citus_plan` checks exactly
these and reports each breach instead of producing a plan that would fail half-way through.

The caller hands over the metadata (the core's and every installed plugin's): this layer knows
no domain.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ForeignKeyConstraint, Index, MetaData, Table, UniqueConstraint
from sqlalchemy.dialects.postgresql import ExcludeConstraint

from tessera.db.roles import quote_literal

DISTRIBUTION_COLUMN = "tenant_id"


@dataclass(frozen=True, slots=True)
class CitusPlan:
    """Tables by their fate on Citus, each list in an order that is safe for foreign keys."""

    reference: tuple[str, ...]
    distributed: tuple[str, ...]
    #: Left as plain tables on the coordinator (the migration history).
    local: tuple[str, ...]
    #: What Citus would refuse; a plan with problems must not be run.
    problems: tuple[str, ...]

    @property
    def colocated_with(self) -> str | None:
        """The first distributed table: every other one is co-located with it."""
        return self.distributed[0] if self.distributed else None

    @property
    def tables(self) -> frozenset[str]:
        return frozenset((*self.reference, *self.distributed, *self.local))

    def sql(self) -> str:
        """The statements to run on the coordinator, with a header saying what they do."""
        if self.problems:
            raise ValueError("a plan with problems has no SQL: fix the tables first")
        lines = [
            "-- Tessera on Citus, derived from the models of the core and the installed plugins.",
            "-- Run on the coordinator as the owner role, after `tessera migrate`, once the citus",
            "-- extension is created and the workers are added.",
            f"-- {len(self.reference)} reference table(s): copied to every node.",
            f"-- {len(self.distributed)} tenant-owned table(s): distributed by "
            f"{DISTRIBUTION_COLUMN}, all co-located with",
            f"-- {self.colocated_with}, so a tenant's rows, joins and foreign keys stay on one node.",
            "-- Each table comes after the tables its foreign keys point at.",
            "-- Before running it, read docs/scaling.md: what is still to prove on a cluster.",
        ]
        if self.local:
            lines.append(f"-- Left local on the coordinator: {', '.join(self.local)}.")
        lines.append("")
        lines += [f"SELECT create_reference_table({quote_literal(t)});" for t in self.reference]
        lines += [_distribute(t, self.colocated_with) for t in self.distributed]
        return "\n".join(lines) + "\n"


def _distribute(table: str, anchor: str | None) -> str:
    colocation = (
        "" if table == anchor or anchor is None else f", colocate_with => {quote_literal(anchor)}"
    )
    return (
        f"SELECT create_distributed_table({quote_literal(table)}, "
        f"{quote_literal(DISTRIBUTION_COLUMN)}{colocation});"
    )


def citus_plan(
    metadata: MetaData, *, platform_tables: Collection[str], local_tables: Sequence[str] = ()
) -> CitusPlan:
    """Classify every table of ``metadata`` and check what Citus requires of it.

    ``platform_tables`` are the deliberate shared tables: reference tables even if they carry
    a (nullable, informative) ``tenant_id``. ``local_tables`` are named in the plan but left
    on the coordinator.
    """
    tenant_owned = {
        t.name
        for t in metadata.tables.values()
        if DISTRIBUTION_COLUMN in t.columns and t.name not in platform_tables
    }
    ordered = metadata.sorted_tables
    problems: list[str] = []
    for table in ordered:
        if table.name in tenant_owned:
            problems += _distribution_problems(table, tenant_owned)
        else:
            problems += _reference_problems(table, tenant_owned)
    return CitusPlan(
        reference=tuple(t.name for t in ordered if t.name not in tenant_owned),
        distributed=tuple(t.name for t in ordered if t.name in tenant_owned),
        local=tuple(local_tables),
        problems=tuple(problems),
    )


def _distribution_problems(table: Table, tenant_owned: Collection[str]) -> list[str]:
    """Why ``table`` cannot be distributed by tenant_id, if it cannot."""
    problems = []
    if table.columns[DISTRIBUTION_COLUMN].nullable:
        problems.append(f"{table.name}: {DISTRIBUTION_COLUMN} may be NULL")
    primary_key = [c.name for c in table.primary_key.columns]
    if primary_key and DISTRIBUTION_COLUMN not in primary_key:
        problems.append(f"{table.name}: primary key {primary_key} lacks {DISTRIBUTION_COLUMN}")
    for constraint in sorted(table.constraints, key=_name):
        if isinstance(constraint, UniqueConstraint):
            columns = [c.name for c in constraint.columns]
            if DISTRIBUTION_COLUMN not in columns:
                problems.append(
                    f"{table.name}: unique constraint {_name(constraint)} {columns} "
                    f"lacks {DISTRIBUTION_COLUMN}"
                )
        elif isinstance(constraint, ExcludeConstraint):
            if constraint.operators.get(DISTRIBUTION_COLUMN) != "=":
                problems.append(
                    f"{table.name}: exclusion constraint {_name(constraint)} lacks "
                    f"{DISTRIBUTION_COLUMN} WITH ="
                )
        elif isinstance(constraint, ForeignKeyConstraint):
            problem = _foreign_key_problem(table, constraint, tenant_owned)
            if problem:
                problems.append(problem)
    for index in sorted(table.indexes, key=_name):
        if index.unique and DISTRIBUTION_COLUMN not in _index_columns(index):
            problems.append(
                f"{table.name}: unique index {_name(index)} lacks {DISTRIBUTION_COLUMN}"
            )
    return problems


def _foreign_key_problem(
    table: Table, constraint: ForeignKeyConstraint, tenant_owned: Collection[str]
) -> str | None:
    """A key to another tenant-owned table must pair tenant_id with tenant_id: otherwise its
    rows may live on another node (and could point into another tenant)."""
    target = constraint.referred_table.name
    if target not in tenant_owned:
        return None  # a reference table is on every node
    pairs = [(e.parent.name, e.column.name) for e in constraint.elements]
    if (DISTRIBUTION_COLUMN, DISTRIBUTION_COLUMN) in pairs:
        return None
    local = [local for local, _ in pairs]
    remote = [remote for _, remote in pairs]
    return (
        f"{table.name}: foreign key {_name(constraint)} {local} -> {target}{remote} "
        f"does not pair {DISTRIBUTION_COLUMN} with {DISTRIBUTION_COLUMN}"
    )


def _reference_problems(table: Table, tenant_owned: Collection[str]) -> list[str]:
    """A reference table is copied to every node; a key from it into a distributed table
    would have to reach every shard, which Citus does not allow."""
    return [
        f"{table.name}: global table has foreign key {_name(fk)} to tenant-owned "
        f"{fk.referred_table.name}"
        for fk in sorted(table.foreign_key_constraints, key=_name)
        if fk.referred_table.name in tenant_owned
    ]


def _index_columns(index: Index) -> list[str]:
    return [c.name for c in index.columns]


def _name(item: object) -> str:
    name = getattr(item, "name", None)
    return str(name) if name else "(unnamed)"
