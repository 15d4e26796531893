"""``manage.py reset_training``: reset a workshop install to the training set (issue 21, ``layanan.training``).

DELETES EVERY TICKET. Runs only with ``PESAN_TRAINING_MODE=True``, or with ``--force`` on a DEBUG install.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from layanan.training import TrainingRefused, reset


class Command(BaseCommand):
    help = "Reset a training install: delete every ticket, recreate the training tickets (one per service and state)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow the reset on a DEBUG install without PESAN_TRAINING_MODE."
        )

    def handle(self, *args, force: bool, **options):
        try:
            summary = reset(self.stdout, force=force)
        except TrainingRefused as exc:
            raise CommandError(str(exc)) from exc
        created = ", ".join(f"{service}: {count}" for service, count in sorted(summary.created.items()))
        self.stdout.write(
            f"Training reset: {summary.deleted} tickets deleted; created {created}; units {', '.join(summary.units)}."
        )
