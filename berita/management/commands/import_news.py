"""``manage.py import_news [--source NAME] [--url URL --kind wordpress|rss|atom|html]``.

Runs the same import as the schedule and prints one summary line per source:
``<source>: <status> fetched=6 new=6 updated=0 skipped=0 failed=0`` plus the error, if any.
Without options, every enabled source is imported. Source problems are reported, never raised.
"""

from django.core.management.base import BaseCommand, CommandError

from berita.models import ImportSource
from berita.services import adhoc_source, run_import


class Command(BaseCommand):
    help = "Import news from the configured sources (or one URL) and print a summary."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Name (or id) of one import source, enabled or not.")
        parser.add_argument("--url", help="Import this feed/listing/WordPress URL once (needs --kind).")
        parser.add_argument("--kind", choices=[k for k, _ in ImportSource.Kind.choices])

    def handle(self, *args, **options):
        if options["url"]:
            if not options["kind"]:
                raise CommandError("--url needs --kind (wordpress, rss, atom or html).")
            sources = [adhoc_source(options["url"], options["kind"])]
        elif options["source"]:
            name = options["source"]
            query = ImportSource.objects.filter(name=name)
            if not query.exists() and name.isdigit():
                query = ImportSource.objects.filter(pk=int(name))
            sources = list(query)
            if not sources:
                raise CommandError(f"No import source named {name!r}.")
        else:
            sources = list(ImportSource.objects.filter(enabled=True))
            if not sources:
                self.stdout.write("No enabled import sources.")
                return
        for source in sources:
            run = run_import(source, trigger="command")
            line = f"{source.name}: {run.status} {run.summary()}"
            if run.error:
                line += f" — {run.error}"
            style = self.style.SUCCESS if run.status == run.Status.SUCCESS else self.style.WARNING
            self.stdout.write(style(line))
            if run.log and options["verbosity"] > 1:
                self.stdout.write(run.log)
