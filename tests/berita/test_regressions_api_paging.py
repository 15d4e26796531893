"""Regression: ``/api/v2/news/?limit=<absurd>`` overflowed the database integer (500) or served everything."""

import pytest

from berita.models import NewsPage

pytestmark = pytest.mark.django_db


def test_news_absurd_limit_is_never_a_500(client, news_index):
    for i in range(3):
        news_index.add_child(instance=NewsPage(title=f"Berita {i}", slug=f"berita-{i}"))
    for limit in ("99999999999999999999", "9223372036854775808", "1000"):
        response = client.get(f"/api/v2/news/?limit={limit}")
        assert response.status_code == 200, response.content
        assert response.json()["count"] == 3
        assert len(response.json()["results"]) == 3
    paged = client.get("/api/v2/news/?limit=2").json()
    assert len(paged["results"]) == 2 and "limit=2" in paged["next"]
