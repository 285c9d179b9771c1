from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.occupations import SUBSET_PATH, occupations_load, read_noc_csv


class Command(BaseCommand):
    help = "Load the NOC 2021 hierarchy: the shipped subset, or Statistics Canada's structure CSV."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SUBSET_PATH))

    def handle(self, *args, path: str, **options) -> None:
        try:
            rows = read_noc_csv(Path(path))
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        count = occupations_load(rows)
        self.stdout.write(self.style.SUCCESS(f"{count} occupations loaded from {path}."))
