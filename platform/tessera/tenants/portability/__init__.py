"""A tenant, whole, out of one deployment and into another: its rows in every table it owns
(core and plugins alike), its people's accounts and its files' bytes, in one checksummed
archive. For data portability requests, and for moving a tenant to a database of its own.

See docs/operations/tenant-portability.md for what travels, what stays and what an import needs.
"""

from tessera.tenants.portability.archive import ArchiveError, Manifest
from tessera.tenants.portability.deployment import Deployment
from tessera.tenants.portability.exporting import export_tenant
from tessera.tenants.portability.importing import import_tenant

__all__ = ["ArchiveError", "Deployment", "Manifest", "export_tenant", "import_tenant"]
