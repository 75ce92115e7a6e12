"""Size caps on uploads, with a message that names the limit.

Each kind of upload has its own cap, far above any honest file (a roll of
500,000 members is about 50 MB as CSV and 35 MB as a signed credential
roll), so that nobody can make the server read, store or parse an
arbitrarily large file.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

MIB = 1024 * 1024
ROLL_CSV_MAX_BYTES = 64 * MIB
CREDENTIAL_ROLL_MAX_BYTES = 64 * MIB
TRUSTEE_FILE_MAX_BYTES = 2 * MIB
REVOCATION_FILE_MAX_BYTES = 1 * MIB


class UploadTooLarge(ValueError):
    """An upload over its cap; the message says the size and the limit."""


def size_text(size: int) -> str:
    return f"{size / MIB:.1f} MB" if size >= MIB else f"{size / 1024:.0f} KB"


def too_large(what: str, size: int, limit: int) -> UploadTooLarge:
    return UploadTooLarge(f"The {what} is {size_text(size)}; at most {size_text(limit)} is "
                          "accepted.")


def read_file(upload: UploadedFile[bytes], what: str, limit: int) -> bytes:
    """The uploaded file's bytes, refused before reading when it is over `limit`."""
    size = upload.size or 0
    if size > limit:
        raise too_large(what, size, limit)
    data = bytes(upload.read(limit + 1))
    if len(data) > limit:
        raise too_large(what, len(data), limit)
    return data


def read_body(request: HttpRequest, what: str, limit: int) -> bytes:
    """The request body (e.g. JSON from a page's script), refused when over `limit`."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise too_large(what, int(declared), limit)
    data = request.read(limit + 1)
    if len(data) > limit:
        raise too_large(what, len(data), limit)
    return data
