import importlib
import os
import pkgutil

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def discover_services(package: str = "layanan") -> list[str]:
    """Import every ``<package>.<subpackage>.service`` module (each registers its services in
    ``layanan.core.registry``); returns the module names imported, in alphabetical order of the packages."""
    root = importlib.import_module(package)
    found = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        folder = os.path.join(info.module_finder.path, info.name)
        if any(m.name == "service" for m in pkgutil.iter_modules([folder])):
            name = f"{package}.{info.name}.service"
            importlib.import_module(name)
            found.append(name)
    return found


class LayananConfig(AppConfig):
    """The unified service desk: PPID requests, objections (keberatan), SP4N-LAPOR, WBS, social media.

    ``ready()`` registers the services (every ``layanan.<package>.service`` module) and connects the signal
    handlers; the imports sit inside ``ready()`` because models cannot be imported before the app registry is
    ready (Django's documented pattern for ``AppConfig.ready``).
    """

    name = "layanan"
    verbose_name = _("Services")

    def ready(self):
        from django.db.models.signals import post_migrate

        from layanan.calendar import receivers  # noqa: F401  (connects the holiday receivers)
        from layanan.calendar.sync import seed_holidays_after_migrate
        from layanan.calendar.workdays import holidays_changed
        from layanan.channels.conversation import forget_anonymised, forget_sealed_origin
        from layanan.channels.outbound import check_reply_window
        from layanan.core.setup import recompute_on_holidays_changed, setup_desk_after_migrate
        from layanan.core.signals import origin_sealed, ticket_anonymised
        from layanan.core.workflow import register_reply_check
        from layanan.reports.statistics import connect_signals as connect_statistics_signals

        discover_services(self.name)
        register_reply_check(check_reply_window)  # WhatsApp's 24-hour window (issue 18)
        origin_sealed.connect(forget_sealed_origin, dispatch_uid="layanan.channels.forget_sealed_origin")
        ticket_anonymised.connect(forget_anonymised, dispatch_uid="layanan.channels.forget_anonymised")
        post_migrate.connect(seed_holidays_after_migrate, sender=self, dispatch_uid="layanan.seed_holidays")
        post_migrate.connect(setup_desk_after_migrate, sender=self, dispatch_uid="layanan.setup_desk")
        holidays_changed.connect(recompute_on_holidays_changed, dispatch_uid="layanan.recompute_due_dates")
        connect_statistics_signals()  # public statistics cache invalidation (issue 6)
