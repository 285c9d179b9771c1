"""The outbox, as each staff member may read it; and what a participant turned off.

A reminder about someone in a program is visible to the staff who work in that program. The
weekly digest belongs to no program: it is visible to the organization's admins and to the staff
member it was sent to.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from programs.models import StaffMembership
from programs.selectors import programs_visible_to, staff_memberships_of

from .models import SentReminder, Unsubscribe


def sent_reminders_visible_to(user) -> QuerySet[SentReminder]:
    memberships = staff_memberships_of(user)
    if not memberships:
        return SentReminder.objects.none()
    administered = [m.organization_id for m in memberships if m.is_admin]
    condition = Q(program__in=programs_visible_to(user))
    condition |= Q(program__isnull=True, organization_id__in=administered)
    # By name rather than ContentType.get_for_model, whose first call costs a query of its own.
    condition |= Q(
        program__isnull=True,
        content_type__app_label=StaffMembership._meta.app_label,
        content_type__model=StaffMembership._meta.model_name,
        object_id__in=[m.pk for m in memberships],
    )
    return SentReminder.objects.filter(condition).select_related("program")


def get_sent_reminder_for_user(user, reminder_id: int) -> SentReminder:
    reminder = sent_reminders_visible_to(user).select_related("organization").filter(pk=reminder_id).first()
    if reminder is None:
        raise Http404
    return reminder


def unsubscribed_kinds(emails: list[str]) -> dict[str, set[str]]:
    """For each address (lower case), the kinds it turned off; Unsubscribe.ALL ("") stands for
    every kind that can be turned off. One query."""
    found: dict[str, set[str]] = {email.lower(): set() for email in emails}
    rows = Unsubscribe.objects.filter(email__in=list(found)).values_list("email", "kind")
    for email, kind in rows:
        found[email].add(kind)
    return found
