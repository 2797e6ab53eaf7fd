"""What the database says it holds: the tenant-owned tables (core and every plugin), their
columns, keys and foreign keys, and the migration heads it is at.

Read from ``pg_catalog`` rather than from a list kept by hand, so a plugin's tables travel with
a tenant the day the plugin is installed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from alembic.script import ScriptDirectory

from tessera.db.migrations import alembic_config
from tessera.db.roles import quote_ident

#: Global tables an archive carries rows of: the tenant itself and its people's accounts.
TENANT_TABLE = "tenant"
USER_TABLE = "identity_user"
#: Tenant-owned tables whose rows stay behind: sessions are bound to the deployment that
#: issued them (people sign in again after a move).
LEFT_BEHIND = frozenset({"identity_session"})


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    #: Stored columns in table order; generated columns are left out (the target computes them).
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    #: Columns filled by a sequence (serial or identity), advanced after an import.
    sequenced: tuple[str, ...]
    has_identity: bool

    @property
    def quoted(self) -> str:
        return quote_ident(self.name)

    def column_list(self) -> str:
        return ", ".join(quote_ident(c) for c in self.columns)

    def ordering(self) -> str:
        keys = self.primary_key or self.columns
        return ", ".join(quote_ident(c) for c in keys)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


_TABLES = """
SELECT c.relname AS name,
       array_agg(a.attname ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns,
       coalesce((SELECT array_agg(k.attname ORDER BY array_position(i.indkey::int2[], k.attnum))
                   FROM pg_index i JOIN pg_attribute k
                     ON k.attrelid = i.indrelid AND k.attnum = ANY (i.indkey)
                  WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS primary_key,
       coalesce(array_agg(a.attname ORDER BY a.attnum)
                FILTER (WHERE a.attidentity <> ''
                           OR pg_get_serial_sequence(c.oid::regclass::text, a.attname) IS NOT NULL),
                '{}') AS sequenced,
       bool_or(a.attidentity <> '') AS has_identity,
       bool_or(a.attname = 'tenant_id') AS tenant_owned
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
 GROUP BY c.oid, c.relname
 ORDER BY c.relname
"""

_FOREIGN_KEYS = """
SELECT con.conname AS name, child.relname AS table, parent.relname AS parent,
       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
              ORDER BY k.pos) AS columns,
       array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
              ORDER BY k.pos) AS parent_columns
  FROM pg_constraint con
  JOIN pg_class child ON child.oid = con.conrelid
  JOIN pg_class parent ON parent.oid = con.confrelid
  JOIN pg_namespace n ON n.oid = child.relnamespace
 WHERE con.contype = 'f' AND n.nspname = 'public'
 ORDER BY child.relname, con.conname
"""


@dataclass(frozen=True, slots=True)
class Catalogue:
    #: Every tenant-owned table a tenant's rows are carried in (sessions excluded).
    tenant_tables: tuple[Table, ...]
    #: The global tables with rows a tenant needs, by name.
    globals: Mapping[str, Table]
    foreign_keys: tuple[ForeignKey, ...]

    def carried(self) -> tuple[Table, ...]:
        """Every table an archive holds a file of: the global ones first."""
        return (*self.globals.values(), *self.tenant_tables)

    def keys_into(self, parent: str) -> tuple[ForeignKey, ...]:
        """Foreign keys from a carried tenant table to ``parent``."""
        carried = {t.name for t in self.tenant_tables}
        return tuple(k for k in self.foreign_keys if k.parent == parent and k.table in carried)


async def read_catalogue(conn: asyncpg.Connection) -> Catalogue:
    tables, globals_ = [], {}
    for row in await conn.fetch(_TABLES):
        table = Table(
            name=row["name"],
            columns=tuple(row["columns"]),
            primary_key=tuple(row["primary_key"]),
            sequenced=tuple(row["sequenced"]),
            has_identity=bool(row["has_identity"]),
        )
        if row["name"] in (TENANT_TABLE, USER_TABLE):
            globals_[row["name"]] = table
        elif row["tenant_owned"] and row["name"] not in LEFT_BEHIND:
            tables.append(table)
    keys = tuple(
        ForeignKey(
            name=r["name"],
            table=r["table"],
            columns=tuple(r["columns"]),
            parent=r["parent"],
            parent_columns=tuple(r["parent_columns"]),
        )
        for r in await conn.fetch(_FOREIGN_KEYS)
    )
    ordered_globals = {name: globals_[name] for name in (TENANT_TABLE, USER_TABLE)}
    return Catalogue(tuple(tables), ordered_globals, keys)


async def migration_heads(
    conn: asyncpg.Connection, migrations_dir: Path, plugin_version_dirs: Sequence[Path]
) -> dict[str, str]:
    """The revisions in the version table, by the branch (``core``, a plugin) each ends."""
    versions = [r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version")]
    config = alembic_config(migrations_dir, owner_url="", plugin_version_dirs=plugin_version_dirs)
    script = ScriptDirectory.from_config(config)
    heads: dict[str, str] = {}
    for version in versions:
        try:
            labels = sorted(script.get_revision(version).branch_labels)
        except Exception:  # a revision this code does not know: still named, never matched
            labels = []
        heads[labels[0] if labels else version] = version
    return dict(sorted(heads.items()))
