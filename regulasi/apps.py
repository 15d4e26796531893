from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulasiConfig(AppConfig):
    """Regulations (regulasi): the legal basis a PPID portal publishes."""

    name = "regulasi"
    verbose_name = _("Regulations")
