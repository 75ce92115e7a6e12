"""The draft ballot form as an organiser fills it in, for the view tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .helpers import member


def local(days: float) -> str:
    """A time `days` from now as the form's field holds it (the organisation's zone)."""
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M")


def ballot_form(**changes: str) -> dict[str, str]:
    trustee_a = member("Ann Trustee")
    trustee_b = member("Bo Trustee")
    authority = member("Cy Scrutineer")
    form = {
        "title": "Reverse the withdrawal?",
        "slug": "reverse-withdrawal",
        "description": "",
        "cut_off": str(timezone.localdate() - datetime.timedelta(days=30)),
        "local_group": "",
        "opens_at": local(1),
        "closes_at": local(2.5),
        "trustees": f"North, {trustee_a.email}\nSouth, {trustee_b.email}",
        "threshold": "2",
        "authority_name": "Independent scrutineer",
        "authority_email": authority.email,
    }
    form.update(changes)
    return form
