"""``manage.py seed_demo``: build a complete demo site. Idempotent: running it twice changes nothing.

Each app contributes a ``<app>.demo.seed(stdout)`` function; they run in dependency order
(home first: it creates the site, home page, units and the local admin user); finally
``home.demo.link_regulations`` links the home page and PPID profile to the regulation pages.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

SEED_ORDER = ["home", "regulasi", "berita", "layanan"]


class Command(BaseCommand):
    help = "Load demo content (idempotent): site, pages, units, regulations, news, service desk."

    def handle(self, *args, **options):
        for app in SEED_ORDER:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
            self.stdout.write(self.style.SUCCESS(f"demo: {app} ready"))
        # Cross-app links that need every app's content (e.g. the PPID profile's legal basis → regulations).
        from home.demo import link_regulations

        with transaction.atomic():
            link_regulations(self.stdout)
