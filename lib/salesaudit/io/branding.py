"""The consulting firm's branding for the report: name, tagline, contacts and logo.

``branding.yaml`` (e.g. ``data_samples/consultancy.yaml``)::

    name: ...            # firm name shown on the cover and in contacts
    tagline: ...         # a string, or {ru: ..., en: ...}
    phone: ...
    email: ...
    site: ...
    consultant: ...      # optional default consultant name
    logo: logo.svg       # optional; path relative to the YAML file (svg, png, jpg)
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from salesaudit.errors import ErrorCase, InputFileError
from salesaudit.io.yamlio import parse_yaml

KEYS = ("name", "tagline", "phone", "email", "site", "consultant", "logo")
_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: neutral branding used when no file is given
DEFAULT_BRANDING: dict[str, Any] = {
    "name": "",
    "tagline": "",
    "phone": "",
    "email": "",
    "site": "",
    "consultant": "",
    "logo_path": None,
    "logo_data_uri": None,
}
MAX_LOGO_BYTES = 2_000_000


def logo_data_uri(path: Path) -> str:
    """Read an image file and return it as a ``data:`` URI (svg, png, jpg)."""
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise InputFileError(
            f"unsupported logo format {path.suffix or '(none)'}",
            file=path,
            hint=f"use one of: {', '.join(sorted(_MIME))}",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"cannot read the logo: {exc.strerror or exc}",
            file=path,
            hint="check the 'logo' path in the branding file",
        ) from exc
    if not data:
        raise InputFileError("the logo file is empty", file=path)
    if len(data) > MAX_LOGO_BYTES:
        raise InputFileError(
            "the logo file is larger than 2 MB", file=path, hint="use a smaller image"
        )
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def load_branding(path: Path | str | None) -> dict[str, Any]:
    """Load the branding YAML; ``None`` gives the neutral default branding.

    Returns ``{name, tagline, phone, email, site, consultant, logo_path, logo_data_uri}``
    (``tagline`` may be a ``{ru, en}`` dict). Raises :class:`InputFileError` naming the file and
    every bad field at once.
    """
    if path is None:
        return dict(DEFAULT_BRANDING)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputFileError(
            "branding file not found", file=path, hint="pass an existing YAML file or omit it"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            f"cannot read the branding file: {exc}", file=path, hint="save it as UTF-8 YAML"
        ) from exc
    doc = parse_yaml(text, file=path)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputFileError(
            "the branding file must be a mapping of fields",
            file=path,
            hint=f"fields: {', '.join(KEYS)}",
        )
    cases = []
    for key in doc:
        if key not in KEYS:
            cases.append(
                ErrorCase(
                    f"unknown field {key!r}",
                    file=str(path),
                    column=str(key),
                    hint=f"known fields: {', '.join(KEYS)}",
                )
            )
    for key in KEYS:
        v = doc.get(key)
        if v is None:
            continue
        ok = isinstance(v, (str, int)) or (
            key == "tagline" and isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
        )
        if not ok:
            cases.append(
                ErrorCase(
                    "must be text" + (" or {ru:, en:}" if key == "tagline" else ""),
                    file=str(path),
                    column=key,
                )
            )
    if cases:
        raise InputFileError("invalid branding file", file=path, cases=cases)
    out = dict(DEFAULT_BRANDING)
    for key in KEYS[:-1]:
        v = doc.get(key)
        if v is not None:
            out[key] = v if isinstance(v, dict) else str(v)
    if doc.get("logo"):
        logo = Path(str(doc["logo"]))
        if not logo.is_absolute():
            logo = path.parent / logo
        out["logo_path"] = str(logo)
        out["logo_data_uri"] = logo_data_uri(logo)
    return out
