"""The activity log: every service calls `activity_record` for each change it makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ActivityEntry, Organization, Program

# The log's whole vocabulary, so that the timeline reads as sentences in any language.
VERB_LABELS = {
    "program.created": _("created the program"),
    "program.updated": _("updated the program"),
    "staff.invited": _("invited a staff member"),
    "staff.invitation_sent": _("sent the staff invitation"),
    "staff.updated": _("changed a staff member's role or programs"),
    "staff.deactivated": _("removed a staff member's access"),
    "staff.reactivated": _("restored a staff member's access"),
    "person.created": _("added the person"),
    "person.updated": _("updated the person's details"),
    "participation.created": _("added the participation"),
    # Program setup
    "cohort.created": _("created a cohort"),
    "cohort.updated": _("updated a cohort"),
    "resource.added": _("added a resource"),
    "resource.updated": _("updated a resource"),
    "resource.removed": _("removed a resource"),
    "privacy_notice.drafted": _("drafted a privacy notice version"),
    "privacy_notice.published": _("published a privacy notice version"),
    "privacy_notice.updated": _("edited a draft privacy notice"),
    "intake_questions.updated": _("changed the application questions"),
    "partner.created": _("added a partner"),
    "partner.updated": _("updated a partner"),
    "partner_contact.saved": _("saved a partner contact"),
    "partner_contact.removed": _("removed a partner contact"),
    "funder.created": _("added a funder"),
    "funder.updated": _("updated a funder"),
    "funder_contact.saved": _("saved a funder contact"),
    "funder_contact.removed": _("removed a funder contact"),
    "funding.added": _("recorded funding for a program"),
    "funding.removed": _("removed funding for a program"),
    "reporting_period.saved": _("saved a reporting period"),
    "reporting_period.removed": _("removed a reporting period"),
    # Applications and resumes
    "application.submitted": _("submitted an application"),
    "application.receipt_sent": _("sent the application confirmation"),
    "resume.uploaded": _("uploaded a resume"),
    "resume.downloaded": _("opened a resume"),
    "consent.given": _("gave consent"),
    "consent.withdrawn": _("withdrew consent"),
    # Screening
    "participation.status_changed": _("changed the status"),
    "participation.waitlisted": _("put on the waitlist"),
    "participation.declined": _("declined the application"),
    "participation.decline_message_sent": _("sent the message about the declined application"),
    "participation.referred": _("referred to a partner"),
    "participation.withdrawn": _("recorded a withdrawal"),
    "participation.invited": _("sent the portal invitation"),
    "participation.linked": _("linked to an earlier participation"),
    "interview.scheduled": _("scheduled an interview"),
    "interview.rescheduled": _("rescheduled an interview"),
    "interview.recorded": _("recorded an interview"),
    "interview.cancelled": _("cancelled an interview"),
    "referral.outcome_recorded": _("recorded a referral outcome"),
    "note.added": _("added a note"),
    # The participant portal
    "participation.updated": _("updated the participation's details"),
    "partner_sharing.updated": _("changed what the match partner may see"),
    "resource.read": _("marked a resource as read"),
    "help_request.sent": _("asked the coordinator for help"),
    "help_request.handled": _("marked a help request as handled"),
    "personal_data.exported": _("downloaded their data"),
    "data_request.sent": _("asked about their data (correction, leaving or deletion)"),
    "data_request.handled": _("handled a request about a person's data"),
    "person.erased": _("erased the person's data at their request"),
    # Matching
    "match.proposed": _("proposed a match"),
    "match.introduced": _("introduced the mentor and mentee"),
    "match.accepted": _("accepted the match"),
    "match.declined": _("declined the match"),
    "match.activated": _("started the match"),
    "match.completed": _("completed the match"),
    "match.closed_early": _("closed the match early"),
    "match.cancelled": _("cancelled a proposed match"),
    "match.override": _("matched below the threshold or against a rule, with a reason"),
    "do_not_match.added": _("marked a pair as not to be matched"),
    "assignment_run.created": _("created a cohort assignment draft"),
    "assignment_run.published": _("published a cohort assignment"),
    "assignment_run.discarded": _("discarded a cohort assignment draft"),
    "circle.created": _("created a mentoring circle"),
    "circle.started": _("started a mentoring circle"),
    "circle.closed": _("closed a mentoring circle"),
    "circle.member_added": _("added a member to a mentoring circle"),
    "circle.member_left": _("recorded that a member left a mentoring circle"),
    "meeting.logged": _("logged a meeting"),
    "alumni.invited": _("invited an alumnus or alumna to mentor"),
    "alumni.converted": _("applied as a mentor after an alumni invitation"),
    # Reminders
    "reminder.resent": _("asked for a failed reminder to be sent again"),
    "reminder.unsubscribed": _("turned off a kind of reminder"),
    "reminder.choices_updated": _("changed which reminders they receive"),
    "reminder_cadence.updated": _("changed when reminders are sent"),
    # Closure and after
    "match.closure_recorded": _("recorded how the match ended"),
    "match.closing_survey_recorded": _("recorded a closing survey"),
    "match.follow_up_recorded": _("recorded an employment follow-up"),
    "match.follow_up_no_answer": _("could not reach the mentee for a follow-up"),
    # Agreements and goals
    "agreement.created": _("wrote the mentorship agreement"),
    "agreement.acknowledged": _("recorded an acknowledgement of the mentorship agreement"),
    "agreement_text.updated": _("changed the program's agreement text"),
    "goal.created": _("added a goal"),
    "goal.updated": _("edited a goal"),
    "goal.status_changed": _("changed a goal's status"),
    "goal.note_added": _("added a progress note to a goal"),
    "goal_template.created": _("added a goal template"),
    "goal_template.updated": _("edited a goal template"),
    "goal_template.deactivated": _("stopped offering a goal template"),
    "goal_template.reactivated": _("offered a goal template again"),
    # Check-ins
    "checkin_schedule.updated": _("changed the check-in schedule"),
    "checkin.recorded": _("recorded a check-in"),
    "checkin.unanswered": _("marked a check-in as without reply"),
    "checkin.follow_up_done": _("ticked off a check-in's follow-up"),
    "checkin.answered": _("answered a check-in in the portal"),
    # Stories
    "story.submitted": _("submitted a story"),
    "story.consent_lowered": _("limited how far a story may be shared"),
    "story.withdrawn": _("withdrew a story"),
}


def activity_record(
    *,
    actor,
    verb: str,
    target: models.Model,
    organization: Organization,
    program: Program | None = None,
    data: dict[str, Any] | None = None,
) -> ActivityEntry:
    if verb not in VERB_LABELS:
        raise ValueError(f"Unknown activity verb {verb!r}; add it to VERB_LABELS.")
    return ActivityEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:250],
        organization=organization,
        program=program,
        data=data or {},
    )


def field_changes(obj, fields: dict) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value differs, for the activity log."""
    return {
        name: [getattr(obj, name), value] for name, value in fields.items() if getattr(obj, name) != value
    }


def logged_update(
    obj: models.Model,
    *,
    fields: dict[str, Any],
    actor,
    verb: str,
    organization: Organization,
    program: Program | None = None,
    check: Callable[[], None] | None = None,
) -> bool:
    """Sets the fields, runs `check`, validates, saves and logs {field: [old, new]}.

    Returns False, and writes nothing, when no value changes. The caller holds the transaction.
    """
    changed = field_changes(obj, fields)
    if not changed:
        return False
    for name, value in fields.items():
        setattr(obj, name, value)
    if check is not None:
        check()
    obj.full_clean()
    obj.save()
    activity_record(
        actor=actor,
        verb=verb,
        target=obj,
        organization=organization,
        program=program,
        data={"changed": changed},
    )
    return True


def activity_for_object(
    obj: models.Model, *, visible_programs: QuerySet[Program] | None = None, limit: int = 50
) -> list[ActivityEntry]:
    """The newest entries about one object, for its timeline.

    With `visible_programs`, entries made in other programs are left out, so that a
    coordinator limited to one program does not read what happened in another.
    """
    entries = ActivityEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )
    if visible_programs is not None:
        entries = entries.filter(Q(program__isnull=True) | Q(program__in=visible_programs))
    return list(entries.select_related("actor", "program").order_by("-created_at", "-id")[:limit])


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))
