"""The app for bench/audit_cost.py: the real Tessera app, audited or (for the baseline) not.

``BENCH_AUDIT=0`` builds the same app on plain SQLAlchemy sessions, so nothing is audited or
binned; everything else — routes, auth, RLS, transactions — is as in production.
"""

from __future__ import annotations

import os

from litestar import Litestar
from sqlalchemy.orm import Session

from tessera.app import create_app
from tessera.db.engine import Database
from tessera.recycle.capture import PlatformSession
from tessera.runtime import runtime_database_url
from tessera.settings import Settings


def create() -> Litestar:
    settings = Settings.from_env()
    audited = os.environ.get("BENCH_AUDIT", "1") == "1"
    database = Database(
        runtime_database_url(settings),
        pool_size=settings.db_pool_size,
        session_class=PlatformSession if audited else Session,
    )
    return create_app(settings, database=database)
