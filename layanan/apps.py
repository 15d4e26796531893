from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayananConfig(AppConfig):
    """The unified service desk: PPID requests, objections (keberatan), SP4N-LAPOR, WBS, social media."""

    name = "layanan"
    verbose_name = _("Services")
