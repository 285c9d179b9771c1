"""The one-click unsubscribe page, reached from a link in a reminder without signing in.

The signed link is the proof that the visitor received the email. Opening it only asks (mail
scanners open links); the button, or a mail program's one-click POST (RFC 8058, which sends no
CSRF token), turns the reminder off.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Unsubscribe
from .registry import get_kind
from .sending import is_unsubscribed
from .services import InvalidUnsubscribeLink, unsubscribe_link_read, unsubscribe_record


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        email, key, person_id = unsubscribe_link_read(token)
    except InvalidUnsubscribeLink:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {"email": email, "kind": get_kind(key)}
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        changed = unsubscribe_record(
            email=email, kind=Unsubscribe.ALL if everything else key, person_id=person_id
        )
        context.update(everything=everything, already=not changed)
        return render(request, "notifications/unsubscribe_done.html", context)
    context["already"] = is_unsubscribed(email, key)
    return render(request, "notifications/unsubscribe.html", context)
