from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Site pages (home, standard, PPID profile, DIP), site settings and the organisation's units."""

    name = "home"
    verbose_name = _("Site and organisation")

    def ready(self):
        from .cache import connect_signals

        connect_signals()  # invalidation of the public response cache (issue 9)
        from .admin_chrome import install

        install()  # per-user cache of the admin sidebar (issue 9)
        import pesan_cms.db_router  # noqa: F401  (connects its request signals before the first request)
