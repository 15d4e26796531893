"""``manage.py sync_holidays [--years 2025 2026 2027]``: seed the holiday table from the ``holidays`` package."""

from django.core.management.base import BaseCommand, CommandError

from layanan.calendar.sync import default_sync_years, sync_holidays


class Command(BaseCommand):
    help = (
        "Fill the holiday table from the holidays package (country ID, categories PUBLIC and GOVERNMENT, "
        "Indonesian names) for the given years (default: last, this and next year in WIB). Idempotent; rows "
        "edited by an admin (source=manual) are never changed or deleted. Open tickets' due dates are "
        "recomputed once afterwards (signal holidays_changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="YEAR",
            help=f"Calendar years to synchronise (default: {' '.join(map(str, default_sync_years()))}).",
        )

    def handle(self, *args, years=None, verbosity=1, **options):
        years = years or default_sync_years()
        bad = [y for y in years if not 1950 <= y <= 2100]
        if bad:
            raise CommandError(f"Year out of range (1950-2100): {', '.join(map(str, bad))}")
        result = sync_holidays(years)
        if verbosity >= 2:
            for label, dates in (("+", result.created), ("~", result.updated), ("-", result.removed)):
                for day in dates:
                    self.stdout.write(f"  {label} {day.isoformat()}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(str(result.summary())))
