from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from omov.ballots.models import Ballot
    from omov.demo.seed import DemoContext


def ballot_thread_panel(request: HttpRequest, ballot: Ballot) -> SafeString:
    """The ballot page's discussion, given to ballots through its detail-panel hook."""
    from omov.discussion import permissions, selectors

    viewer = getattr(request, "member", None)
    if not permissions.may_read(viewer, ballot):
        return mark_safe(render_to_string("discussion/_not_yet.html", request=request))
    context = selectors.thread_context(
        ballot, viewer, order=request.GET.get("order", "oldest"),
        page=request.GET.get("page", 1),
    )
    context["on_subject_page"] = True  # the ballot's own page: no link to itself
    return mark_safe(render_to_string("discussion/_thread.html", context, request=request))


def _ballot_visible(ballot: Any, member: Any) -> bool:
    from omov.ballots.models import Phase

    return bool(ballot.phase != Phase.DRAFT)


def _register_ballots() -> None:
    from django.urls import reverse

    from omov.ballots import hooks
    from omov.ballots.models import Ballot
    from omov.discussion import subjects

    subjects.register(
        Ballot,
        title=lambda b: str(b.title),
        url=lambda b: reverse("ballots:detail", args=[b.slug]),
        visible_to=_ballot_visible,
        related_ballot=lambda b: b,
    )
    hooks.register_detail_panel(ballot_thread_panel)


def seed_discussion(context: DemoContext) -> None:
    from omov.discussion.demo import seed_discussion as seed

    seed(context)


class DiscussionConfig(AppConfig):
    name = "omov.discussion"
    verbose_name = "Discussion"

    def ready(self) -> None:
        from omov.accounts.roles import Role
        from omov.ballots.actions.schedule import register_round_step
        from omov.demo.seed import register_step
        from omov.discussion.notices import digest_round
        from omov.web.navigation import NavItem, register

        _register_ballots()
        register(NavItem("Search", "discussion:search", None, order=70))
        register(NavItem("Reports", "discussion:reports", Role.MODERATOR, order=75))
        register(NavItem("Moderators", "discussion:moderators", Role.ORGANISER, order=76))
        register_round_step(digest_round)
        register_step(seed_discussion)
