"""The portal's front door: who may come in."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render

from programs.rules import is_funder_user, is_staff_member

from .portal_selectors import portal_people


def participant_required(view):
    """Signed-in mentors and mentees, with their people on `request.portal_people`.

    Staff and funder accounts that are not also participants get a friendly 403 that points
    them to their own pages. Anyone else who is signed in comes in: someone whose login exists
    but who is in no program yet sees the portal's empty states, which say what happens next.
    """

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        people = list(portal_people(request.user))
        if not people and (is_staff_member(request.user) or is_funder_user(request.user)):
            return render(request, "portal/not_a_participant.html", status=403)
        request.portal_people = people
        return view(request, *args, **kwargs)

    return wrapper
