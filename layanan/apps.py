from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayananConfig(AppConfig):
    """The unified service desk: PPID requests, objections (keberatan), SP4N-LAPOR, WBS, social media."""

    name = "layanan"
    verbose_name = _("Services")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .models.calendar import seed_holidays_after_migrate

        post_migrate.connect(seed_holidays_after_migrate, sender=self, dispatch_uid="layanan.seed_holidays")

        from .calendar import holidays_changed
        from .setup import recompute_on_holidays_changed, setup_desk_after_migrate

        post_migrate.connect(setup_desk_after_migrate, sender=self, dispatch_uid="layanan.setup_desk")
        holidays_changed.connect(recompute_on_holidays_changed, dispatch_uid="layanan.recompute_due_dates")

        from .reports.statistics import connect_signals as connect_statistics_signals

        connect_statistics_signals()  # public statistics cache invalidation (issue 6)
