"""Fictional but true-to-life demo data. Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from matching.occupations import SUBSET_PATH, occupations_load, read_noc_csv
from participants.demo import seed_people
from programs.demo import DEMO_PASSWORD, seed_organizations


class Command(BaseCommand):
    help = "Create demo organizations, programs, staff, partners, funders and participants (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        occupations_load(read_noc_csv(SUBSET_PATH))
        programs = seed_organizations()
        seed_people(programs)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo login uses the password '{DEMO_PASSWORD}'.")
        )
