"""Draft preview in a decoupled front end (issue 19): Preview in the admin → front-end URL with a token →
``/api/v2/page_preview/?token=…`` gives the draft in the shape of ``/api/v2/pages/<id>/``."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator

from home.models import StandardPage
from home.preview import create_preview_token

from .factories import make_standard, organisation

pytestmark = pytest.mark.django_db

FRONT_END = "https://depan.example.go.id/pratinjau?lang=id"


@pytest.fixture
def editor_client(client):
    client.force_login(get_user_model().objects.create_superuser("redaktur", "redaktur@example.go.id", "x"))
    return client


@pytest.fixture
def draft(home):
    """A live page with an unpublished change: the title and intro of its latest revision differ."""
    page = make_standard(home, title="Judul terbit", slug="layanan", intro="Isi terbit.")
    page.title, page.intro = "Judul draf", "Isi draf yang belum terbit."
    revision = page.save_revision()
    return page, revision


def preview_in_admin(client, page, revision):
    """What an editor does: preview a revision of the page in the Wagtail admin."""
    return client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")


def test_preview_sends_the_editor_to_the_front_end_and_the_api_gives_the_draft(editor_client, client, home, draft):
    page, revision = draft
    settings_row = organisation(home)
    settings_row.frontend_preview_url = FRONT_END
    settings_row.save()

    response = preview_in_admin(editor_client, page, revision)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://depan.example.go.id/pratinjau"
    query = parse_qs(location.query)
    assert query["lang"] == ["id"] and query["content_type"] == ["home.standardpage"]
    token = query["token"][0]

    editor_client.logout()  # the front end is not logged in: the token is its only credential
    preview = client.get(f"/api/v2/page_preview/?content_type=home.standardpage&token={token}")
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["id"] == page.pk
    assert data["title"] == "Judul draf"
    assert data["intro"] == "Isi draf yang belum terbit."
    assert data["meta"]["type"] == "home.StandardPage"
    assert "no-store" in preview["Cache-Control"]  # a draft is never kept by a shared cache

    live = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert live["title"] == "Judul terbit"  # the live page is unchanged
    assert set(data) == set(live) and set(data["meta"]) == set(live["meta"])  # the same shape

    narrowed = client.get(f"/api/v2/page_preview/?token={token}&fields=_,title").json()
    assert narrowed["title"] == "Judul draf" and "intro" not in narrowed  # ?fields= as on /api/v2/pages/<id>/


@pytest.mark.parametrize(
    "query",
    ["", "?token=", "?token=bukan-token-yang-benar", "?content_type=home.standardpage"],
    ids=["no token", "empty token", "wrong token", "content type only"],
)
def test_no_draft_without_a_valid_token(client, editor_client, home, draft, query):
    page, revision = draft
    settings_row = organisation(home)
    settings_row.frontend_preview_url = FRONT_END
    settings_row.save()
    preview_in_admin(editor_client, page, revision)  # a valid token exists, but is not the one sent

    response = client.get(f"/api/v2/page_preview/{query}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "Judul draf" not in response.content.decode()


def test_a_token_for_another_page_type_or_expired_is_refused(client, editor_client, home, draft, settings):
    page, revision = draft
    settings_row = organisation(home)
    settings_row.frontend_preview_url = FRONT_END
    settings_row.save()
    token = parse_qs(urlsplit(preview_in_admin(editor_client, page, revision)["Location"]).query)["token"][0]
    assert client.get(f"/api/v2/page_preview/?content_type=berita.newspage&token={token}").status_code == 404

    settings.PESAN_PREVIEW_TOKEN_SECONDS = 0  # a token that has already expired when it is used
    expired = parse_qs(urlsplit(preview_in_admin(editor_client, page, revision)["Location"]).query)["token"][0]
    assert client.get(f"/api/v2/page_preview/?token={expired}").status_code == 404
    assert client.get(f"/api/v2/page_preview/?token={token}").status_code == 200  # the first is still valid


def test_preview_panel_links_to_the_front_end(editor_client, home, draft):
    """Wagtail's side panel cannot frame another site: it shows a link to the front end's preview."""
    page, revision = draft
    settings_row = organisation(home)
    settings_row.frontend_preview_url = FRONT_END
    settings_row.save()
    latest = revision.as_object()
    response = latest.make_preview_request(
        original_request=None, preview_mode=None, extra_request_attrs={"in_preview_panel": True}
    )
    assert response.status_code == 200
    assert b'href="https://depan.example.go.id/pratinjau?lang=id&amp;content_type=home.standardpage&amp;token=' in (
        response.content
    )


def test_without_a_front_end_url_the_reference_site_renders_the_preview(editor_client, draft):
    page, revision = draft
    response = preview_in_admin(editor_client, page, revision)
    assert response.status_code == 200
    assert "Judul draf" in response.content.decode()


def test_preview_endpoint_is_in_the_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v2/page_preview/"]["get"]
    assert {param["name"] for param in operation["parameters"]} >= {"token", "content_type", "fields"}
    assert {"200", "404"} <= set(operation["responses"])


def test_preview_of_a_page_not_yet_saved(client, home):
    """Preview while adding a page (Wagtail builds an unsaved page under its parent): id 0, no detail page yet."""
    page = StandardPage(title="Halaman baru", slug="baru", intro="Belum disimpan.")
    page.depth = home.depth + 1
    page.path = page._get_path(home.path, page.depth, 1)
    page.set_url_path(home)
    token = create_preview_token(page)

    response = client.get(f"/api/v2/page_preview/?token={token}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["title"], data["intro"]) == (0, "Halaman baru", "Belum disimpan.")
    assert data["meta"]["parent"]["id"] == home.pk
