import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "admin@demo.example",
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
