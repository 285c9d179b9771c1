"""The portal page where a participant chooses which reminders they receive: a switch for each
kind they may turn off, and the emails that always go out.

Choices are kept per email address (notifications.Unsubscribe), the very ones the unsubscribe
link in each reminder changes, so the page and the links always agree. Someone known to two
organizations under two addresses gets a set of switches for each address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from notifications.forms import NotificationChoicesForm
from notifications.models import Unsubscribe
from notifications.registry import always_sent_kinds, participant_choice_kinds
from notifications.selectors import unsubscribed_kinds
from notifications.services import notification_choices_save

from .models import Person
from .portal_access import participant_required
from .portal_selectors import get_portal_person


@dataclass
class AddressChoices:
    person: Person
    form: NotificationChoicesForm


def _off(kinds: set[str]) -> set[str]:
    """The kinds that are off, with "everything" spelled out."""
    if Unsubscribe.ALL in kinds:
        return {kind.key for kind in participant_choice_kinds()}
    return kinds


def _one_person_per_address(people: list[Person]) -> list[Person]:
    seen: dict[str, Person] = {}
    for person in people:
        seen.setdefault(person.email.lower(), person)
    return list(seen.values())


def _posted_person(request: HttpRequest) -> Person:
    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError:
        raise Http404 from None
    return get_portal_person(request.user, person_id)


@participant_required
def notification_choices(request: HttpRequest) -> HttpResponse:
    people = _one_person_per_address(request.portal_people)
    off = {email: _off(kinds) for email, kinds in unsubscribed_kinds([p.email for p in people]).items()}
    posted: AddressChoices | None = None
    if request.method == "POST":
        person = _posted_person(request)
        form = NotificationChoicesForm(request.POST, off=off.get(person.email.lower(), set()))
        if form.is_valid():
            try:
                notification_choices_save(person=person, enabled=form.enabled(), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your choices are saved."))
                return redirect("portal:notifications")
        posted = AddressChoices(person=person, form=form)
    addresses = [
        posted
        if posted is not None and posted.person.email.lower() == person.email.lower()
        else AddressChoices(person=person, form=NotificationChoicesForm(off=off[person.email.lower()]))
        for person in people
    ]
    return render(
        request,
        "portal/notifications.html",
        {"addresses": addresses, "always_sent": always_sent_kinds()},
    )
