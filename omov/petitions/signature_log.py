"""The petition's stored signature log: replayed from its rows, appended under the row lock."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from django.conf import settings

from omov.ballots.manifest import utc_timestamp
from omov.petitions.models import LogEntry, Petition
from omov.record.errors import RecordError
from omov.record.petition import PetitionLog, parse_petition_line, signer_pseudonym


def server_key() -> bytes:
    """The pseudonym key: derived from the secret key, never published (docs/threat-model.md)."""
    return hmac.new(settings.SECRET_KEY.encode(), b"omov petition pseudonyms",
                    hashlib.sha256).digest()


def pseudonym(petition: Petition, member_id: int) -> str:
    """The member's pseudonym on this petition's log."""
    return signer_pseudonym(server_key(), petition.slug, str(member_id))


def load(petition: Petition) -> PetitionLog:
    """The petition's log replayed from its stored lines (checked as the verifier checks)."""
    log = PetitionLog()
    for row in LogEntry.objects.filter(petition=petition).order_by("index"):
        log.accept(parse_petition_line(bytes(row.line), row.index))
    return log


def append(petition: Petition, log: PetitionLog, kind: str, body: dict[str, Any]) -> None:
    """Check and append one entry to the log and store it; `RecordError` if it breaks a rule."""
    entry = log.append(kind, body)
    LogEntry.objects.create(petition=petition, index=entry.index, kind=kind,
                            line=entry.line, hash=entry.hash)


def stamp(moment: datetime.datetime) -> str:
    """The log's time format."""
    return utc_timestamp(moment)


def download(petition: Petition) -> bytes:
    """The whole log as JSON Lines, as `omov verify` reads it."""
    rows = LogEntry.objects.filter(petition=petition).order_by("index")
    return b"".join(bytes(row.line) + b"\n" for row in rows)


__all__ = ["PetitionLog", "RecordError", "append", "download", "load", "pseudonym", "stamp"]
