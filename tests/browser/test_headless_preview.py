"""An editor previews a draft in the decoupled front end (issue 19), in Chromium: the organisation's front-end
preview URL is set in Settings, the editor changes a page without publishing, opens the preview panel and its
"open the preview" link; a local HTTP server plays the front end — it reads the draft from
``/api/v2/page_preview/`` with the token it was given, as a real front end would — and shows the draft's title."""

from __future__ import annotations

import html
import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.home.factories import make_site, make_standard

from .conftest import admin_login


class FrontEnd(BaseHTTPRequestHandler):
    """``GET /pratinjau?token=…&content_type=…`` → asks PESAN for the draft and renders its title."""

    api: str = ""

    def do_GET(self):  # noqa: N802 - the HTTP method
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        params = urllib.parse.urlencode(
            {"token": query.get("token", [""])[0], "content_type": query["content_type"][0]}
        )
        try:
            with urllib.request.urlopen(f"{self.api}/api/v2/page_preview/?{params}", timeout=10) as answer:  # noqa: S310
                draft = json.load(answer)
            body = f"<h1>{html.escape(draft['title'])}</h1><p>{html.escape(draft.get('intro', ''))}</p>"
            status = 200
        except urllib.error.HTTPError as error:
            body, status = f"<h1>Pratinjau tidak tersedia ({error.code})</h1>", 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(f"<!DOCTYPE html><html><body>{body}</body></html>".encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def front_end(live_server):
    FrontEnd.api = live_server.url
    server = ThreadingHTTPServer(("127.0.0.1", 0), FrontEnd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_editor_previews_a_draft_in_the_front_end(new_page, staff, front_end, shot):
    home = make_site()
    page = make_standard(home, title="Layanan Informasi", slug="layanan-informasi", intro="Isi yang terbit.")
    editor = staff("redaktur")
    editor.is_superuser = True
    editor.save()

    browser_page = new_page()
    admin_login(browser_page, "redaktur")

    # Settings → Organisation: the front end's preview address
    browser_page.get_by_role("button", name="Pengaturan").click()
    browser_page.locator('a[href*="/admin/settings/home/organisationsettings/"]').first.click()
    browser_page.locator("#id_frontend_preview_url").fill(f"{front_end}/pratinjau?lang=id")
    browser_page.get_by_role("button", name="Simpan").first.click()
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.locator("#id_frontend_preview_url").input_value() == f"{front_end}/pratinjau?lang=id"

    # Pages → the page → edit the title, save a draft (not published)
    browser_page.goto(f"/admin/pages/{home.pk}/")
    browser_page.get_by_role("link", name="Layanan Informasi").first.click()
    browser_page.locator("#id_title").fill("Layanan Informasi (draf)")
    browser_page.get_by_role("button", name="Simpan konsep").click()
    browser_page.wait_for_load_state("networkidle")

    # the preview panel: a link to the front end, which shows the draft
    browser_page.locator('[data-side-panel-toggle="preview"]').first.click()
    frame = browser_page.frame_locator("iframe#w-preview-iframe")
    link = frame.get_by_role("link", name="Buka pratinjau")
    link.wait_for()
    shot(browser_page, "preview-panel")
    with browser_page.context.expect_page() as opened:
        link.click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.url.startswith(f"{front_end}/pratinjau?lang=id&")
    assert preview.locator("h1").inner_text() == "Layanan Informasi (draf)"
    shot(preview, "front-end")

    page.refresh_from_db()
    assert page.title == "Layanan Informasi"  # the live page is unchanged
