"""Where each kind of process connects: the web app, the worker and the dispatcher alike."""

from __future__ import annotations

from tessera.db.engine import app_role_url
from tessera.db.roles import dispatch_role
from tessera.mail.service import DevMailer, Mailer, SmtpMailer
from tessera.settings import Settings, SettingsError


def runtime_database_url(settings: Settings) -> str:
    """The app role's URL: sees one tenant per transaction."""
    if settings.app_database_url:
        return settings.app_database_url
    return app_role_url(_owner_url(settings), settings.app_db_role, settings.app_db_password)


def dispatch_database_url(settings: Settings) -> str:
    """The dispatcher's URL: reads every tenant's outbox, and little else."""
    if settings.dispatch_database_url:
        return settings.dispatch_database_url
    return app_role_url(
        _owner_url(settings), dispatch_role(settings.app_db_role), settings.app_db_password
    )


def broker_url(settings: Settings) -> str:
    """The broker: PostgreSQL (the app database, as the app role) unless configured."""
    return settings.broker_url or runtime_database_url(settings)


def default_mailer(settings: Settings) -> Mailer:
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return DevMailer(settings.data_dir / "mail")


def _owner_url(settings: Settings) -> str:
    if not settings.database_url:
        raise SettingsError("TESSERA_DATABASE_URL is not set (and no embedded server was started)")
    return settings.database_url
