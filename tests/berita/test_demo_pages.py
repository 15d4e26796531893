"""The demo seed (no network, idempotent) and the server-rendered news pages."""

from io import StringIO

import pytest
from requests.adapters import HTTPAdapter
from wagtail.models import Page, Site

from berita import demo
from berita.models import ImportedArticle, ImportSource, NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_site():
    from home.models import HomePage

    home = HomePage(title="Beranda", slug="beranda-demo")
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the demo must not use the network")

    monkeypatch.setattr(HTTPAdapter, "send", refuse)


def test_demo_seed_publishes_news_with_images_offline_and_is_idempotent(home_site, no_network):
    demo.seed(StringIO())
    index = NewsIndexPage.objects.get()
    assert index.get_parent().pk == home_site.pk
    news = NewsPage.objects.live()
    assert news.count() >= 3
    assert news.exclude(feature_image=None).exists()
    assert all(p.source_name == "Kemenko Marves" for p in news)
    source = ImportSource.objects.get()
    assert not source.enabled and source.runs.get().status == "success"
    assert ImportedArticle.objects.filter(status="pending").exists()  # something left for an editor

    out = StringIO()
    demo.seed(out)
    assert NewsPage.objects.count() == news.count()
    assert ImportedArticle.objects.count() == 6 and NewsIndexPage.objects.count() == 1
    assert "published" in out.getvalue()


def test_news_index_and_page_render(home_site, no_network, client):
    demo.seed(StringIO())
    index = NewsIndexPage.objects.get()
    response = client.get(index.url)
    assert response.status_code == 200
    html = response.content.decode()
    first = NewsPage.objects.live().order_by("-date").first()
    assert first.title in html
    ppid = client.get(index.url, {"category": "ppid"}).content.decode()
    assert "Sosialisasi Standar Layanan Informasi Publik" in ppid
    assert "Hari Maritim" not in ppid
    page = client.get(first.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kemenko Marves" in body and first.source_url in body
    assert client.get(index.url, {"page": "99"}).status_code == 200
