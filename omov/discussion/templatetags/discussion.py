"""`{% load discussion %}{% discussion_thread obj %}`: the thread of any registered subject."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from omov.discussion import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def discussion_thread(context: dict[str, Any], subject: models.Model) -> SafeString:
    request = context["request"]
    viewer = getattr(request, "member", None)
    data = selectors.thread_context(
        subject, viewer, order=request.GET.get("order", "oldest"), page=request.GET.get("page", 1)
    )
    return mark_safe(render_to_string("discussion/_thread.html", data, request=request))
