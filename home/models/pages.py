"""Page types of the PPID site (home, standard page, PPID profile, public-information list)."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class HomePage(Page):
    """The site's home page (beranda). One per site, directly under the root."""

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
