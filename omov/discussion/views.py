"""Thin views: parse, authorise, call one action, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from omov.accounts.actions import grant_role, revoke_role
from omov.accounts.models import GrantedRole, RoleGrant
from omov.accounts.roles import (
    current_member,
    member_required,
    moderator_required,
    on_roll_required,
    organiser_required,
    public,
    roles_for_request,
)
from omov.discussion import actions, notices, permissions, search, selectors, subjects
from omov.discussion.errors import DiscussionError
from omov.discussion.models import Appeal, Comment, NoticeFrequency, NoticePreference, Report
from omov.members.models import Member


def _viewer(request: HttpRequest) -> Member | None:
    roles_for_request(request)
    return getattr(request, "member", None)


def _subject(request: HttpRequest, label: str, pk: str) -> models.Model:
    kind = subjects.kind_for_label(label)
    if kind is None:
        raise Http404("No such discussion.")
    try:
        subject = kind.model._default_manager.get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as missing:
        raise Http404("No such discussion.") from missing
    if not permissions.may_read(_viewer(request), subject):
        raise Http404("No such discussion.")
    return subject


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    comments = Comment.objects.select_related("thread__content_type")
    comment = get_object_or_404(comments, pk=comment_id)
    if not permissions.may_read(_viewer(request), actions.subject_of(comment.thread)):
        raise Http404("No such comment.")
    return comment


def _back(comment: Comment) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("discussion:comment", args=[comment.pk]))


def _run(request: HttpRequest, step: Any, *args: Any, **kwargs: Any) -> bool:
    try:
        step(*args, **kwargs)
    except DiscussionError as refused:
        messages.error(request, str(refused))
        return False
    return True


@public
def thread(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    subject = _subject(request, label, pk)
    context = selectors.thread_context(
        subject,
        _viewer(request),
        order=request.GET.get("order", "oldest"),
        page=request.GET.get("page", 1),
    )
    context["subject_url"] = subjects.kind_of(subject).url(subject)
    return render(request, "discussion/thread.html", context)


@public
def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's permanent address: its thread, on the page that holds it."""
    comment = _comment(request, comment_id)
    top = comment
    while top.parent_id is not None:
        top = Comment.objects.get(pk=top.parent_id)
    earlier = Comment.objects.filter(
        thread=comment.thread, parent__isnull=True, created_at__lt=top.created_at
    ).count()
    page = earlier // selectors.PER_PAGE + 1
    url = reverse(
        "discussion:thread",
        args=[
            comment.thread.content_type.app_label + "." + comment.thread.content_type.model,
            comment.thread.object_id,
        ],
    )
    return HttpResponseRedirect(f"{url}?order=oldest&page={page}#comment-{comment.pk}")


@member_required
@require_POST
def post(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    subject = _subject(request, label, pk)
    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id:
        parent = Comment.objects.filter(pk=int(parent_id)).first() if parent_id.isdigit() else None
        if parent is None:
            messages.error(request, "The comment you replied to is not there any more.")
            return HttpResponseRedirect(reverse("discussion:thread", args=[label, pk]))
    try:
        comment = actions.post_comment(
            subject,
            author=current_member(request),
            body=request.POST.get("body", ""),
            parent=parent,
        )
    except DiscussionError as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(reverse("discussion:thread", args=[label, pk]))
    return _back(comment)


@member_required
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    if request.method == "POST" and _run(
        request,
        actions.edit_comment,
        comment,
        by=current_member(request),
        body=request.POST.get("body", ""),
    ):
        return _back(comment)
    return render(request, "discussion/edit.html", {"comment": comment})


@public
def history(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    visible = not comment.is_stub
    return render(
        request,
        "discussion/history.html",
        {"comment": comment, "revisions": comment.revisions.all() if visible else []},
    )


@member_required
@require_POST
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    _run(request, actions.delete_comment, comment, by=current_member(request))
    return _back(comment)


@member_required
@require_POST
def react(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    _run(
        request,
        actions.toggle_reaction,
        comment,
        member=current_member(request),
        kind=request.POST.get("kind", ""),
    )
    return _back(comment)


@member_required
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    if request.method == "POST" and _run(
        request,
        actions.report_comment,
        comment,
        by=current_member(request),
        reason=request.POST.get("reason", ""),
    ):
        messages.success(request, "Thank you: a moderator will look at your report.")
        return _back(comment)
    return render(request, "discussion/report.html", {"comment": comment})


@moderator_required
def reports(request: HttpRequest) -> HttpResponse:
    open_reports = Report.objects.filter(resolved_at__isnull=True).select_related(
        "comment__author", "reporter"
    )
    appeals = Appeal.objects.filter(decided_at__isnull=True).select_related("comment__author")
    return render(request, "discussion/reports.html", {"reports": open_reports, "appeals": appeals})


@moderator_required
def hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    if request.method == "POST" and _run(
        request,
        actions.hide_comment,
        comment,
        by=current_member(request),
        reason=request.POST.get("reason", ""),
    ):
        return _back(comment)
    return render(request, "discussion/hide.html", {"comment": comment})


@on_roll_required
def appeal(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    if request.method == "POST" and _run(
        request,
        actions.appeal_hiding,
        comment,
        by=current_member(request),
        statement=request.POST.get("statement", ""),
    ):
        return _back(comment)
    return render(request, "discussion/appeal.html", {"comment": comment})


@moderator_required
@require_POST
def decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal_row = get_object_or_404(Appeal, pk=appeal_id)
    _run(
        request,
        actions.decide_appeal,
        appeal_row,
        by=current_member(request),
        upheld=request.POST.get("upheld") == "yes",
        reason=request.POST.get("reason", ""),
    )
    return HttpResponseRedirect(reverse("discussion:reports"))


@on_roll_required
@require_POST
def mute(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    member = current_member(request)
    if request.POST.get("undo"):
        actions.unmute(member, muted=comment.author)
    else:
        _run(request, actions.mute, member, muted=comment.author)
    return _back(comment)


@public
def moderation_log(request: HttpRequest) -> HttpResponse:
    return render(
        request, "discussion/moderation_log.html", {"entries": selectors.moderation_log()[:200]}
    )


@on_roll_required
def preferences(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if request.method == "POST" and _run(
        request, actions.set_notice_frequency, member, request.POST.get("frequency", "")
    ):
        messages.success(request, "Saved.")
    current = NoticePreference.objects.filter(member=member).first()
    return render(
        request,
        "discussion/preferences.html",
        {
            "choices": NoticeFrequency.choices,
            "current": current.frequency if current else NoticeFrequency.IMMEDIATE,
        },
    )


@public
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an email: the signed link itself identifies the member.

    A GET only asks (link checkers and previews fetch links); a POST stops the
    emails. The POST needs no session or CSRF token, as RFC 8058 one-click
    unsubscribe from a mail client sends neither: the signed token, which only
    the member's own emails carry, is the authority to act.
    """
    member_pk = notices.member_for_token(token)
    member = Member.objects.filter(pk=member_pk).first() if member_pk else None
    if member is None:
        return render(request, "discussion/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        actions.set_notice_frequency(member, NoticeFrequency.NEVER)
        return render(request, "discussion/unsubscribe.html", {"done": True})
    return render(request, "discussion/unsubscribe.html", {"token": token})


@public
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = search.search(query, _viewer(request)) if query else []
    return render(request, "discussion/search.html", {"query": query, "results": results})


@organiser_required
def moderators(request: HttpRequest) -> HttpResponse:
    """Organisers appoint and remove moderators (grant_role writes the public audit log)."""
    if request.method == "POST":
        number = request.POST.get("membership_number", "").strip()
        person = Member.objects.filter(membership_number=number).first()
        if person is None:
            messages.error(request, f"No member has the membership number {number!r}.")
        elif request.POST.get("remove"):
            revoke_role(person, GrantedRole.MODERATOR, by=current_member(request))
            messages.success(request, f"{person.name} is no longer a moderator.")
        else:
            grant_role(person, GrantedRole.MODERATOR, by=current_member(request))
            messages.success(request, f"{person.name} is now a moderator.")
    current = RoleGrant.objects.filter(role=GrantedRole.MODERATOR, revoked_at__isnull=True)
    return render(
        request, "discussion/moderators.html", {"grants": current.select_related("member")}
    )
