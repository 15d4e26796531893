"""The admin menu names each item once (issue 19): the service desk's "Service reports" and Wagtail's own
"Content reports" (locked pages, workflows, site history, …) were both called "Laporan"."""

from collections import Counter

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.test_admin_language import flatten, menu_items

pytestmark = pytest.mark.django_db


def menu_for(client, user, language: str) -> list[dict]:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return menu_items(response.content.decode())


def duplicates(items) -> list[str]:
    return [label for label, count in Counter(item["label"] for item in items).items() if count > 1]


@pytest.mark.parametrize(
    ("language", "desk_reports", "content_reports"),
    [("id", "Laporan layanan", "Laporan konten"), ("en", "Service reports", "Content reports")],
)
def test_every_menu_item_has_its_own_name(admin_client, admin_user, language, desk_reports, content_reports):
    menu = menu_for(admin_client, admin_user, language)
    assert duplicates(menu) == [], "two items of the main menu share a name"
    for item in flatten(menu):
        assert duplicates(item["children"]) == [], f"two items of {item['label']!r} share a name"

    by_label = {item["label"]: item for item in menu}
    assert by_label[desk_reports]["url"] == reverse("layanan_reports_index")
    content = [child["url"] for child in by_label[content_reports]["children"]]
    assert reverse("wagtailadmin_reports:locked_pages") in content
    assert reverse("wagtailadmin_reports:site_history") in content
    assert "Laporan" not in by_label and "Reports" not in by_label
