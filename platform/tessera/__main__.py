"""``python -m tessera`` is the ``tessera`` command (how ``tessera dev`` starts its helpers)."""

from tessera.cli import main

main()
