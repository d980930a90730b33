"""salesaudit: the B2B sales-department audit workbook.

Layers (lower never imports higher): ``io`` -> ``model`` -> ``analytics`` -> ``scoring`` ->
``report`` / ``workshop``; ``app`` and ``cli`` sit on top and are the only places that orchestrate
file I/O with logic. ``errors`` is shared by all.
"""

from salesaudit.errors import SalesAuditError

__version__ = "0.1.0"
__all__ = ["SalesAuditError", "__version__"]
