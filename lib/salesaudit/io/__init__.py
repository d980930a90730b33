"""File I/O: reading client exports into raw text sheets, YAML, writing outputs atomically.

The only layer that touches files.
"""

from salesaudit.io.atomic import (
    atomic_output_dir,
    atomic_write_bytes,
    atomic_write_text,
    previous_path,
)
from salesaudit.io.folder import ClientFolder, file_sha256, open_client_folder
from salesaudit.io.raw import RawSheet
from salesaudit.io.readers import detect_format, is_total_label, normalize_header, read_file
from salesaudit.io.yamlio import read_yaml, write_yaml_atomic

__all__ = [
    "ClientFolder",
    "RawSheet",
    "atomic_output_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "detect_format",
    "file_sha256",
    "is_total_label",
    "normalize_header",
    "open_client_folder",
    "previous_path",
    "read_file",
    "read_yaml",
    "write_yaml_atomic",
]
