"""File I/O: reading client exports into raw text sheets, YAML, writing outputs atomically.

The only layer that touches files.
"""

from salesaudit.io.raw import RawSheet

__all__ = ["RawSheet"]
