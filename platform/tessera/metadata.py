"""The complete table metadata: every core model module and every installed plugin's."""

from __future__ import annotations

from sqlalchemy import MetaData

from tessera.db.base import Base


def load_metadata() -> MetaData:
    # Imported for their side effect: mapping the tables onto Base.metadata.
    import tessera.access.models
    import tessera.audit.models
    import tessera.company.models
    import tessera.events.models
    import tessera.identity.models
    import tessera.jobs.models
    import tessera.modules.models
    import tessera.notifications.models
    import tessera.numbering.models
    import tessera.recycle.models
    import tessera.storage.models
    import tessera.tenants.models
    import tessera.webhooks.models
    import tessera.workflow.models  # noqa: F401
    from tessera.modules.registry import installed_plugins

    # Loading the plugins imports their models onto the same metadata.
    installed_plugins()
    return Base.metadata
