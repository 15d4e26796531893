from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Site pages (home, standard, PPID profile, DIP), site settings and the organisation's units."""

    name = "home"
    verbose_name = _("Site and organisation")
