"""What a client says about a file, made safe: its name, its type, and how it is sent back.

A filename is metadata shown to people, never part of a path: storage keys are made by the
platform from the tenant and the file's id (:func:`object_key`).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from urllib.parse import quote

from tessera.errors import Invalid

MAX_FILENAME = 255
DEFAULT_TYPE = "application/octet-stream"
_NAME_PART = r"[A-Za-z0-9!#$&^_.+-]{1,63}"
_MEDIA_TYPE = re.compile(rf"{_NAME_PART}/{_NAME_PART}")
#: Types a browser may show inline without running anything the file contains. Everything
#: else (HTML, SVG, XML, scripts …) is always sent as an attachment.
INLINE_SAFE = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"}
)


def clean_filename(raw: str, *, field: str = "filename") -> str:
    """The name to keep and show: the last segment of a path, normalised; 422 when unusable.

    ``../../etc/passwd`` becomes ``passwd``, ``C:\\temp\\a.txt`` becomes ``a.txt``. Control
    characters (NUL included) are refused rather than dropped: a client that sends them is
    not naming a file in good faith, and silently changing a name hides that.
    """
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs"} for c in raw):
        raise Invalid(field, "must not contain control characters")
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    # Windows drops trailing dots and spaces; a name that differs only by them is the same file.
    name = name.strip().rstrip(". ")
    if name in {"", ".", ".."}:
        raise Invalid(field, "must name a file")
    if len(name) > MAX_FILENAME:
        raise Invalid(field, f"must be at most {MAX_FILENAME} characters")
    return name


def clean_content_type(raw: str | None) -> str:
    """``type/subtype`` in lower case, parameters dropped; anything unclear is octet-stream."""
    if not raw:
        return DEFAULT_TYPE
    essence = raw.split(";", 1)[0].strip().lower()
    return essence if _MEDIA_TYPE.fullmatch(essence) else DEFAULT_TYPE


def content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and the exact name in ``filename*``."""
    fallback = (
        "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in filename).strip()
        or "download"
    )
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def object_key(tenant_id: uuid.UUID, file_id: uuid.UUID) -> str:
    """Where a file's bytes live: under its tenant, spread over 256 folders by the id's random
    last byte, so that a folder of the local store holds about 4,000 entries per million files."""
    return f"{tenant_id}/{file_id.hex[-2:]}/{file_id}"
