"""WSGI entry point: `omov serve` hands this to gunicorn, `omov demo` to waitress."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omov.web.settings")

application = get_wsgi_application()
