from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeritaConfig(AppConfig):
    """News (berita): news pages and the import of articles from the body's main website."""

    name = "berita"
    verbose_name = _("News")
