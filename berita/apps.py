from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, **kwargs):
    """Idempotent: every enabled import source has exactly one django-q2 schedule after ``migrate``."""
    from berita.scheduling import sync_all_schedules  # noqa: PLC0415

    sync_all_schedules()


class BeritaConfig(AppConfig):
    """News (berita): news pages and the import of articles from the body's main website."""

    name = "berita"
    verbose_name = _("News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from berita import signals  # noqa: F401, PLC0415

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="berita_post_migrate")
