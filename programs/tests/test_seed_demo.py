import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from participants.models import Participation, Person, Resume

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "admin@demo.example",
    "mentor@demo.example",
    "mentee@demo.example",
    "coordinator@demo.example",
    "coordinator2@demo.example",
    "manager@demo.example",
    "funder@demo.example",
]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "account", "programs", "participants"}
    }


def test_running_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = _row_counts()
    call_command("seed_demo", verbosity=0)
    assert _row_counts() == first
    assert first["participants.Participation"] > 0


def test_every_demo_login_works_with_the_documented_password(rf):
    call_command("seed_demo", verbosity=0)
    for email in DEMO_LOGINS:
        assert authenticate(rf.get("/"), email=email, password="mentorship-demo") is not None, email


def test_demo_has_people_at_every_stage_with_resumes():
    call_command("seed_demo", verbosity=0)
    mentees = Participation.objects.filter(role=Participation.Role.MENTEE)
    mentors = Participation.objects.filter(role=Participation.Role.MENTOR)
    assert mentees.count() >= 120 and mentors.count() >= 60
    stages = set(Participation.objects.values_list("status", flat=True))
    assert {
        "submitted",
        "screening",
        "interview_scheduled",
        "interviewed",
        "accepted",
        "orientation_done",
        "ready_to_match",
        "waitlisted",
        "declined",
        "referred",
        "withdrawn",
    } <= stages
    assert not mentees.filter(person__resumes__isnull=True).exists()
    assert (
        "Civil engineer"
        in Resume.objects.filter(participation__role="mentee")
        .values_list("extracted_text", flat=True)
        .first()
        or Resume.objects.filter(extracted_text__icontains="years of experience").exists()
    )
    assert Person.objects.values("country").distinct().count() > 1
    mentee = Participation.objects.get(person__email="mentee@demo.example")
    assert mentee.status == Participation.Status.READY_TO_MATCH and mentee.person.user is not None
