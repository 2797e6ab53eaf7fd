"""One settings object, read once from ``TESSERA_*`` environment variables.

Every setting has a documented default (see docs/operations/settings.md). A missing or
malformed value raises :class:`SettingsError` whose message is one line the CLI prints as is.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

Environment = Literal["dev", "test", "production"]
_ENVIRONMENTS: tuple[Environment, ...] = ("dev", "test", "production")
_T = TypeVar("_T")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is a single line for the operator."""


def _default_migrations_dir() -> Path:
    # platform/tessera/settings.py -> repository root / migrations
    return Path(__file__).resolve().parents[2] / "migrations"


def _default_frontend_dir() -> Path:
    # platform/tessera/settings.py -> repository root / frontend / dist (what `make frontend` builds)
    return Path(__file__).resolve().parents[2] / "frontend" / "dist"


@dataclass(frozen=True, slots=True)
class Settings:
    env: Environment = "dev"
    #: Owner connection: runs migrations and owns the tables. Unset: embedded PostgreSQL.
    database_url: str | None = None
    #: Runtime connection (the app role). Unset: ``database_url`` with the app role as user.
    app_database_url: str | None = None
    app_db_role: str = "tessera_app"
    app_db_password: str | None = None
    db_pool_size: int = 10
    data_dir: Path = Path(".tessera")
    migrations_dir: Path = field(default_factory=_default_migrations_dir)
    #: The built browser app, served under ``/``.
    frontend_dir: Path = field(default_factory=_default_frontend_dir)
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    #: How long a web process finishes requests in flight after SIGTERM before its workers
    #: are killed (keep it under the orchestrator's grace period).
    shutdown_grace_seconds: int = 20
    base_url: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    max_body_bytes: int = 1_048_576
    session_ttl_hours: int = 24 * 14
    cookie_secure: bool = True
    #: Proxies whose X-Forwarded-For is believed (comma-separated addresses).
    trusted_proxies: frozenset[str] = frozenset()
    #: When set, ``/metrics`` answers only requests bearing it (``Authorization: Bearer …``).
    metrics_token: str | None = None
    login_max_failures_per_email: int = 5
    login_max_failures_per_ip: int = 50
    login_window_seconds: int = 900
    smtp_url: str | None = None
    mail_from: str = "Tessera <no-reply@localhost>"
    invitation_ttl_hours: int = 24 * 7
    email_token_ttl_hours: int = 24
    password_reset_ttl_minutes: int = 60
    #: Days a deleted record stays restorable in the recycle bin.
    recycle_days: int = 30
    #: The dispatcher's connection (event relay, scheduler). Unset: ``database_url`` with the
    #: app role's name + ``_dispatch`` as user.
    dispatch_database_url: str | None = None
    #: Where background work is queued. Unset: PostgreSQL (the app database); or amqp://…, redis://….
    broker_url: str | None = None
    #: Queue names start with it, so several deployments can share one RabbitMQ or Redis.
    queue_prefix: str = "tessera"
    #: Retries of a failing event delivery before it lands in the dead-letter list.
    event_max_retries: int = 10
    event_min_backoff_ms: int = 1000
    event_max_backoff_ms: int = 300_000
    #: A worker silent for this long is presumed dead and its messages are handed to others.
    worker_heartbeat_seconds: int = 60
    #: The relay lets a burst of events gather this long before sending: bigger batches, far
    #: fewer transactions in the workers, for a little latency.
    relay_linger_ms: int = 100
    #: Relayed events and completed-delivery records are kept this many days.
    event_retention_days: int = 7
    #: Webhooks may go to loopback, private and link-local addresses (tests, closed networks).
    webhooks_allow_private_addresses: bool = False
    #: Webhooks may go to plain http:// URLs (otherwise https:// only).
    webhooks_allow_http: bool = False
    #: An endpoint is paused after this many failed attempts in a row.
    webhook_pause_after: int = 15
    webhook_timeout_seconds: int = 10
    #: How often overdue approval steps are looked for (and escalated).
    workflow_escalation_seconds: int = 60
    #: Email notifications are gathered and sent at most once per this many seconds per member.
    notification_digest_seconds: int = 300
    #: Where uploaded files live on local disk. Unset: ``<data_dir>/files``.
    storage_dir: Path | None = None
    #: An S3-compatible store, used instead of local disk when a bucket is named.
    storage_s3_bucket: str | None = None
    #: The store's URL (MinIO, Ceph, R2 …). Unset: AWS S3 itself.
    storage_s3_endpoint: str | None = None
    storage_s3_region: str = "us-east-1"
    #: Unset: botocore's own credential chain (environment, instance or pod role).
    storage_s3_access_key: str | None = None
    storage_s3_secret_key: str | None = None
    #: Keys start with it, so several deployments can share one bucket.
    storage_s3_prefix: str = ""
    #: A tenant's largest file until its admin chooses another limit.
    storage_file_limit_bytes: int = 100 * 1024 * 1024
    #: The largest limit a tenant admin may choose.
    storage_file_limit_ceiling_bytes: int = 5 * 1024 * 1024 * 1024
    #: A file nothing refers to is removed this long after its upload.
    storage_unheld_hours: int = 24
    #: How often each tenant's files nothing refers to are looked for.
    storage_sweep_seconds: int = 3600

    @property
    def files_dir(self) -> Path:
        """The local disk directory of uploaded files."""
        return self.storage_dir if self.storage_dir is not None else self.data_dir / "files"

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def public_url(self) -> str:
        return self.base_url or f"http://{self.host}:{self.port}"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``TESSERA_*`` variables; raise :class:`SettingsError` on the first bad one."""
        env_vars = os.environ if environ is None else environ
        reader = _Reader(env_vars)
        env = cast(Environment, reader.get("ENV", _choice(_ENVIRONMENTS), "dev"))
        production = env == "production"
        data_dir = reader.get("DATA_DIR", Path, Path(".tessera"))
        settings = cls(
            env=env,
            database_url=reader.get("DATABASE_URL", _database_url, None),
            app_database_url=reader.get("APP_DATABASE_URL", _database_url, None),
            app_db_role=reader.get("APP_DB_ROLE", _identifier, "tessera_app"),
            app_db_password=reader.get("APP_DB_PASSWORD", str, None),
            db_pool_size=reader.get("DB_POOL_SIZE", _int_between(1, 500), 10),
            data_dir=data_dir,
            migrations_dir=reader.get("MIGRATIONS_DIR", Path, _default_migrations_dir()),
            frontend_dir=reader.get("FRONTEND_DIR", Path, _default_frontend_dir()),
            secret_key=reader.get("SECRET_KEY", _secret_key, None)
            or ("" if production else _dev_secret_key(data_dir)),
            host=reader.get("HOST", str, "127.0.0.1"),
            port=reader.get("PORT", _int_between(1, 65535), 8000),
            workers=reader.get("WORKERS", _int_between(1, 256), 1),
            shutdown_grace_seconds=reader.get("SHUTDOWN_GRACE_SECONDS", _int_between(1, 3600), 20),
            base_url=reader.get("BASE_URL", _http_url, "").rstrip("/"),
            log_level=reader.get(
                "LOG_LEVEL", _choice(("DEBUG", "INFO", "WARNING", "ERROR")), "INFO"
            ),
            log_json=reader.get("LOG_JSON", _bool, True),
            max_body_bytes=reader.get("MAX_BODY_BYTES", _int_between(1024, 1 << 30), 1_048_576),
            session_ttl_hours=reader.get("SESSION_TTL_HOURS", _int_between(1, 24 * 365), 24 * 14),
            cookie_secure=reader.get("COOKIE_SECURE", _bool, env != "dev"),
            trusted_proxies=reader.get("TRUSTED_PROXIES", _address_set, frozenset()),
            metrics_token=reader.get("METRICS_TOKEN", _metrics_token, None),
            login_max_failures_per_email=reader.get(
                "LOGIN_MAX_FAILURES_PER_EMAIL", _int_between(1, 10_000), 5
            ),
            login_max_failures_per_ip=reader.get(
                "LOGIN_MAX_FAILURES_PER_IP", _int_between(1, 100_000), 50
            ),
            login_window_seconds=reader.get("LOGIN_WINDOW_SECONDS", _int_between(1, 86_400), 900),
            smtp_url=reader.get("SMTP_URL", _smtp_url, None),
            mail_from=reader.get("MAIL_FROM", str, "Tessera <no-reply@localhost>"),
            invitation_ttl_hours=reader.get(
                "INVITATION_TTL_HOURS", _int_between(1, 24 * 90), 24 * 7
            ),
            email_token_ttl_hours=reader.get("EMAIL_TOKEN_TTL_HOURS", _int_between(1, 24 * 30), 24),
            recycle_days=reader.get("RECYCLE_DAYS", _int_between(1, 3650), 30),
            dispatch_database_url=reader.get("DISPATCH_DATABASE_URL", _database_url, None),
            broker_url=reader.get("BROKER_URL", _broker_url, None),
            queue_prefix=reader.get("QUEUE_PREFIX", _identifier, "tessera"),
            event_max_retries=reader.get("EVENT_MAX_RETRIES", _int_between(0, 100), 10),
            event_min_backoff_ms=reader.get(
                "EVENT_MIN_BACKOFF_MS", _int_between(10, 3_600_000), 1000
            ),
            event_max_backoff_ms=reader.get(
                "EVENT_MAX_BACKOFF_MS", _int_between(10, 86_400_000), 300_000
            ),
            worker_heartbeat_seconds=reader.get(
                "WORKER_HEARTBEAT_SECONDS", _int_between(2, 3600), 60
            ),
            relay_linger_ms=reader.get("RELAY_LINGER_MS", _int_between(0, 5000), 100),
            event_retention_days=reader.get("EVENT_RETENTION_DAYS", _int_between(1, 3650), 7),
            webhooks_allow_private_addresses=reader.get(
                "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", _bool, False
            ),
            webhooks_allow_http=reader.get("WEBHOOKS_ALLOW_HTTP", _bool, False),
            webhook_pause_after=reader.get("WEBHOOK_PAUSE_AFTER", _int_between(1, 10_000), 15),
            webhook_timeout_seconds=reader.get("WEBHOOK_TIMEOUT_SECONDS", _int_between(1, 120), 10),
            workflow_escalation_seconds=reader.get(
                "WORKFLOW_ESCALATION_SECONDS", _int_between(1, 86_400), 60
            ),
            notification_digest_seconds=reader.get(
                "NOTIFICATION_DIGEST_SECONDS", _int_between(1, 86_400), 300
            ),
            password_reset_ttl_minutes=reader.get(
                "PASSWORD_RESET_TTL_MINUTES", _int_between(5, 24 * 60), 60
            ),
            **_storage_settings(reader),
        )
        if production and not settings.secret_key:
            raise SettingsError("TESSERA_SECRET_KEY is required when TESSERA_ENV=production")
        if production and not settings.database_url:
            raise SettingsError("TESSERA_DATABASE_URL is required when TESSERA_ENV=production")
        return settings


_TIB = 1 << 40


def _storage_settings(reader: _Reader) -> dict[str, Any]:
    ceiling = reader.get("STORAGE_FILE_LIMIT_CEILING_BYTES", _int_between(1, _TIB), 5 << 30)
    default = reader.get("STORAGE_FILE_LIMIT_BYTES", _int_between(1, _TIB), min(100 << 20, ceiling))
    if default > ceiling:
        raise SettingsError(
            "TESSERA_STORAGE_FILE_LIMIT_BYTES is malformed: expected at most "
            f"TESSERA_STORAGE_FILE_LIMIT_CEILING_BYTES ({ceiling}), got {default}"
        )
    access_key = reader.get("STORAGE_S3_ACCESS_KEY", str, None)
    secret_key = reader.get("STORAGE_S3_SECRET_KEY", str, None)
    if (access_key is None) != (secret_key is None):
        raise SettingsError(
            "TESSERA_STORAGE_S3_ACCESS_KEY and TESSERA_STORAGE_S3_SECRET_KEY go together: "
            "set both, or neither to use the default credential chain"
        )
    return {
        "storage_dir": reader.get("STORAGE_DIR", Path, None),
        "storage_s3_bucket": reader.get("STORAGE_S3_BUCKET", _bucket, None),
        "storage_s3_endpoint": reader.get("STORAGE_S3_ENDPOINT", _http_url, None),
        "storage_s3_region": reader.get("STORAGE_S3_REGION", _region, "us-east-1"),
        "storage_s3_access_key": access_key,
        "storage_s3_secret_key": secret_key,
        "storage_s3_prefix": reader.get("STORAGE_S3_PREFIX", _key_prefix, ""),
        "storage_file_limit_bytes": default,
        "storage_file_limit_ceiling_bytes": ceiling,
        "storage_unheld_hours": reader.get("STORAGE_UNHELD_HOURS", _int_between(1, 24 * 365), 24),
        "storage_sweep_seconds": reader.get(
            "STORAGE_SWEEP_SECONDS", _int_between(60, 86_400), 3600
        ),
    }


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def get(self, name: str, parse: Callable[[str], _T], default: _T) -> _T:
        raw = self._environ.get(f"TESSERA_{name}")
        if raw is None or raw.strip() == "":
            return default
        try:
            return parse(raw.strip())
        except (ValueError, TypeError) as exc:
            raise SettingsError(f"TESSERA_{name} is malformed: {exc}") from None


def _choice(options: tuple[_T, ...]) -> Callable[[str], _T]:
    def parse(raw: str) -> _T:
        for option in options:
            if raw == option:
                return option
        raise ValueError(f"expected one of {', '.join(map(str, options))}, got {raw!r}")

    return parse


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}, got {value}")
        return value

    return parse


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _database_url(raw: str) -> str:
    if not raw.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
        raise ValueError("expected a postgresql:// URL")
    return raw


def _broker_url(raw: str) -> str:
    if not raw.startswith(
        ("postgresql://", "postgres://", "amqp://", "amqps://", "redis://", "rediss://")
    ):
        raise ValueError("expected a postgresql://, amqp:// or redis:// URL")
    return raw


def _smtp_url(raw: str) -> str:
    if not raw.startswith(("smtp://", "smtps://")):
        raise ValueError("expected smtp://user:password@host:port or smtps://…")
    return raw


def _http_url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL")
    return raw


def _bucket(raw: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", raw):
        raise ValueError(
            "expected an S3 bucket name: 3 to 63 lowercase letters, digits, '.' or '-'"
        )
    return raw


def _region(raw: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]{1,40}", raw):
        raise ValueError(f"expected a region name such as us-east-1, got {raw!r}")
    return raw


def _key_prefix(raw: str) -> str:
    cleaned = raw.strip("/")
    if not re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", cleaned) or ".." in cleaned:
        raise ValueError("expected letters, digits, '.', '_' or '-', in segments separated by '/'")
    return cleaned + "/"


def _identifier(raw: str) -> str:
    if not raw.replace("_", "").isalnum() or not raw[0].isalpha() or len(raw) > 63:
        raise ValueError("expected a PostgreSQL role name of letters, digits and underscores")
    return raw.lower()


def _secret_key(raw: str) -> str:
    if len(raw) < 32:
        raise ValueError("expected at least 32 characters")
    return raw


def _metrics_token(raw: str) -> str:
    if len(raw) < 16:
        raise ValueError("expected at least 16 characters")
    return raw


def _address_set(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _dev_secret_key(data_dir: Path) -> str:
    """Outside production, a random key is made once and kept under the data directory."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
