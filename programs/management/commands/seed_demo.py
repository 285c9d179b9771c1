"""Fictional but true-to-life demo data. Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from matching.demo import seed_matches
from matching.occupations import SUBSET_PATH, occupations_load, read_noc_csv
from mentorship.celery import app
from participants.demo import PORTAL_LOGINS, seed_people
from programs.demo import DEMO_PASSWORD, seed_organizations


class Command(BaseCommand):
    help = "Create demo organizations, programs, staff, partners, funders, people and matches (idempotent)."

    def handle(self, *args, **options) -> None:
        # The demo people are fictional: their emails go nowhere, and the tasks that send them
        # run here rather than on a worker that would send them for real.
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                self._seed()
        finally:
            app.conf.task_always_eager = eager

    @transaction.atomic
    def _seed(self) -> None:
        occupations_load(read_noc_csv(SUBSET_PATH))
        programs = seed_organizations()
        seed_people(programs)
        seed_matches(programs, PORTAL_LOGINS)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo login uses the password '{DEMO_PASSWORD}'.")
        )
