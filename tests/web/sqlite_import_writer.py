"""A long roll import on SQLite while another thread keeps writing.

Run as a script: `python sqlite_import_writer.py DATABASE_FILE ROWS`. Imports a
roll of ROWS new members in one thread while a second thread writes one audit
event every 20 ms until the import ends. Exits 1 if any write failed (as with
"database is locked") or if no write landed between the import's first and
last batch, which is what happened when the import was one transaction.
"""

from __future__ import annotations

import os
import sys
import threading
import time


def main(database: str, rows: int) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["OMOV_VAR_DIR"] = os.path.dirname(database)
    from omov.web.bootstrap import migrate, setup_django

    setup_django()
    migrate()
    from django.db import connection, transaction

    from omov.audit.log import record
    from omov.audit.models import AuditEvent
    from omov.members import actions
    from omov.organisation.models import LocalGroup

    LocalGroup.objects.create(name="Camden", slug="camden")
    content = "membership_number,name,email,local_group,status\n" + "".join(
        f"L{number},Member {number},l{number}@example.org,Camden,active\n"
        for number in range(rows)
    )
    upload = actions.stage_member_import(file_name="long.csv", content=content, by=None)
    errors: list[BaseException] = []
    waits: list[float] = []
    importing = threading.Event()
    finished = threading.Event()

    def importer() -> None:
        try:
            importing.set()
            actions.import_members(upload, by=None)
        except BaseException as error:  # reported below, then the script fails
            errors.append(error)
        finally:
            finished.set()
            connection.close()

    def writer() -> None:
        importing.wait()
        try:
            while not finished.is_set():
                started = time.monotonic()
                with transaction.atomic():
                    record("writer", actor=None, summary="a write during the import")
                waits.append(time.monotonic() - started)
                time.sleep(0.02)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=importer), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        print(f"{len(errors)} thread(s) failed: {errors[0]!r}")
        return 1
    batches = AuditEvent.objects.filter(action="import_members_batch").order_by("id")
    first, last = batches.first(), AuditEvent.objects.get(action="import_members")
    assert first is not None
    during = AuditEvent.objects.filter(action="writer", id__gt=first.id, id__lt=last.id).count()
    print(f"{rows} rows in {batches.count()} batches, {elapsed:.1f} s; "
          f"writes during the import: {during} of {len(waits)}; "
          f"longest write {max(waits) * 1000:.0f} ms")
    if during == 0:
        print("no write got the lock while the import ran")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
