"""Emails of the intake and screening pipeline, sent by Celery once the change that asked for
them has committed. Each task loads by id and calls the service that writes and sends it.

The application receipt, the interview invitation and the acceptance go through the reminders'
sent-log instead (participants/reminders.py), so that they are sent once and show on the outbox."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from programs.models import Program

from .alumni import alumni_invitation_send
from .applications import application_already_open_notice_send
from .interviews import interview_cancellation_send
from .models import AlumniInvitation, Interview, Participation
from .pipeline import decline_message_email_send

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "retry_jitter": True, "max_retries": 8}


def _participation(participation_id: int) -> Participation | None:
    return (
        Participation.objects.select_related("person__user", "program__organization")
        .filter(pk=participation_id)
        .first()
    )


def _interview(interview_id: int) -> Interview | None:
    return (
        Interview.objects.select_related(
            "participation__person", "participation__program__organization", "interviewer"
        )
        .filter(pk=interview_id)
        .first()
    )


@shared_task(**RETRY)
def send_decline_message(participation_id: int, sender_id: int | None = None) -> None:
    participation = _participation(participation_id)
    if participation is None or participation.status != Participation.Status.DECLINED:
        return
    sender = get_user_model().objects.filter(pk=sender_id).first() if sender_id else None
    decline_message_email_send(participation=participation, sender=sender)


@shared_task(**RETRY)
def send_interview_cancellation(interview_id: int) -> None:
    interview = _interview(interview_id)
    if interview is not None and interview.status == Interview.Status.CANCELLED:
        interview_cancellation_send(interview=interview)


@shared_task(**RETRY)
def send_application_already_open_notice(program_id: int, role: str, email: str, language: str | None = None):
    program = Program.objects.select_related("organization").filter(pk=program_id).first()
    if program is not None:
        application_already_open_notice_send(program=program, role=role, email=email, language=language)


@shared_task(**RETRY)
def send_alumni_invitation(invitation_id: int) -> None:
    invitation = (
        AlumniInvitation.objects.select_related("participation__person", "program__organization")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is not None:
        alumni_invitation_send(invitation=invitation)
