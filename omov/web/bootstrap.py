"""Django start-up shared by the web commands (`omov serve`, `omov demo`).

Settings read the environment once, at import, so anything a command wants to
change (debug, database) must be put in the environment before Django loads.
"""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(
    *, debug: bool | None = None, database_url: str | None = None, var_dir: Path | None = None
) -> None:
    """Configures the environment, then initialises Django's app registry."""
    if debug is not None:
        os.environ["OMOV_DEBUG"] = "1" if debug else "0"
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    if var_dir is not None:
        os.environ["OMOV_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omov.web.settings")
    import django

    django.setup()


def migrate(*, verbose: bool = False) -> None:
    """Brings the database schema up to date."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def serve(host: str, port: int) -> None:
    """Serves the WSGI application with waitress until interrupted."""
    import waitress

    from omov.web.wsgi import application

    print(f"Serving omov on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    waitress.serve(application, host=host, port=port, threads=8)
