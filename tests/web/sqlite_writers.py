"""Eight threads each run read-then-write transactions on one SQLite file at once.

Run as a script: `python sqlite_writers.py DATABASE_FILE`. Exits 1 (printing
the first error) if any transaction failed, as with "database is locked".
"""

from __future__ import annotations

import os
import sys
import threading


def main(database: str) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["OMOV_VAR_DIR"] = os.path.dirname(database)
    from omov.web.bootstrap import migrate, setup_django

    setup_django()
    migrate()
    from django.db import connection, transaction

    from omov.audit.log import record
    from omov.audit.models import AuditEvent

    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for round_ in range(25):
                with transaction.atomic():
                    AuditEvent.objects.filter(action=f"writer {number}").count()
                    record(f"writer {number}", actor=None, summary=f"round {round_}")
        except BaseException as error:  # reported below, then the script fails
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"{len(errors)} writer(s) failed: {errors[0]!r}")
        return 1
    print(f"{AuditEvent.objects.filter(action__startswith='writer ').count()} events written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
