"""Imported bodies as readers and editors see them: the lead once, no glued words, no orphan button labels,
inline images kept as image blocks (or reported), image downloads that never reach a private address."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.images import get_image_model

from berita.body import lead_repeats_body, split_lead
from berita.cleaning import clean_html
from berita.images import ImageError, download_image
from berita.importers import build_session
from berita.models import ImportedArticle, NewsPage
from berita.services import approve, run_import

from .conftest import FixtureHandler

pytestmark = pytest.mark.django_db

# A lower-case letter or a sentence mark directly followed by a capitalised word: "7 hari kerja.Unduh materi".
GLUED = re.compile(r"[a-z.,;:!?)][A-Z][a-z]")

# Every news fixture: (kind, path on the fixture server, articles expected). The broken ones import nothing.
FIXTURES = [
    ("wordpress", "", 6),
    ("rss", "", 6),
    ("atom", "", 6),
    ("html", "", 6),
    ("rss", "/broken/latin1.xml", 1),
    ("rss", "/extra/wrong-encoding.xml", 1),
    ("rss", "/extra/inline-images.xml", 1),
    ("rss", "/broken/empty.xml", 0),
    ("rss", "/broken/truncated.xml", 0),
    ("rss", "/broken/html-instead-of-feed.html", 0),
    ("wordpress", "/wp-error/wp-json/wp/v2/posts", 0),
]
INLINE = "workshop-ppid-dengan-foto-kegiatan"


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def strip_tags(html: str) -> str:
    """Text as the crudest consumer extracts it: tags removed, nothing put in their place."""
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(("kind", "path", "expected"), FIXTURES)
def test_every_news_fixture_shows_the_lead_once_and_no_glued_words(
    news_index, make_source, session, client, kind, path, expected
):
    run = run_import(make_source(kind, path), session=session)
    candidates = list(ImportedArticle.objects.all())
    assert len(candidates) == expected, run.log
    for candidate in candidates:
        assert candidate.lead, candidate.slug
        assert candidate.lead not in candidate.body_html  # taken out of the body, not repeated
        stored = strip_tags(candidate.body_html)
        assert not GLUED.search(stored), (candidate.slug, stored)
        page = approve(candidate, None, session=session, publish=True)
        assert all(candidate.lead not in str(block.value) for block in page.body)  # the API's body, too
        response = client.get(page.url)
        assert response.status_code == 200
        article = BeautifulSoup(response.content, "html.parser").select_one("article")
        visible = words(article.get_text(" "))
        assert visible.count(words(candidate.lead)) == 1, (candidate.slug, visible)
        body = article.select_one(".berita-article__body").get_text("")
        assert not GLUED.search(body), (candidate.slug, body)
        for orphan in ("Unduh materi", "Daftar hadir", "Bagikan"):
            assert orphan not in visible, (candidate.slug, orphan)


def test_block_boundaries_are_kept():
    cleaned = clean_html(
        "<div>Harga stabil.</div><div>Pemerintah menambah stok.</div>"
        "<section><h3>Rincian</h3>Beras dan gula.</section><ul><li><div>satu</div><div>dua</div></li></ul>"
        "Teks awal.<br>Baris berikut",
        "https://maritim.go.id/detail/x",
    )
    assert cleaned.split("\n")[:4] == [
        "<p>Harga stabil.</p>",
        "<p>Pemerintah menambah stok.</p>",
        "<h3>Rincian</h3>",
        "<p>Beras dan gula.</p>",
    ]
    assert "<li>satu<br>\ndua</li>" in cleaned and "<p>Teks awal.<br>\nBaris berikut</p>" in cleaned
    assert not GLUED.search(strip_tags(cleaned))


def test_orphan_controls_go_but_links_and_sentences_stay():
    cleaned = clean_html(
        "<p>Kalimat pertama.</p>"
        '<a href="javascript:unduh()">Unduh materi</a> <p onclick="buka()">Daftar hadir</p><button>Cetak</button>'
        '<p>Klik <a href="javascript:void(0)">di sini</a> untuk jadwal.</p>'
        '<p><a href="/materi.pdf" onclick="ga(1)">Unduh materi</a></p><p>Bagikan:</p><p>Unduh</p>',
        "https://maritim.go.id/detail/x",
    )
    text = words(BeautifulSoup(cleaned, "html.parser").get_text(" "))
    assert text == "Kalimat pertama. Klik di sini untuk jadwal. Unduh materi"
    assert '<a href="https://maritim.go.id/materi.pdf" rel="noopener noreferrer">Unduh materi</a>' in cleaned


def test_inline_images_become_top_level_figures():
    cleaned = clean_html(
        '<p>Sebelum.<img src="/a.jpg" alt="Foto A">Sesudah.</p>'
        '<figure><a href="/b-besar.jpg"><img src="data:image/gif;base64,AA" data-src="/b.jpg" alt="B"></a>'
        "<figcaption>Foto: Humas</figcaption></figure><table><tr><td><img src='/c.jpg'></td></tr></table>",
        "https://maritim.go.id/detail/x",
    )
    assert cleaned.split("\n")[:4] == [
        "<p>Sebelum.</p>",
        '<figure><img alt="Foto A" src="https://maritim.go.id/a.jpg"></figure>',
        "<p>Sesudah.</p>",
        '<figure><img alt="B" src="https://maritim.go.id/b.jpg"><figcaption>Foto: Humas</figcaption></figure>',
    ]


def test_the_lead_is_taken_out_only_when_it_is_a_plain_paragraph():
    assert split_lead("<p>Jakarta. Isi pertama.</p>\n<p>Isi kedua.</p>") == (
        "Jakarta. Isi pertama.",
        "<p>Isi kedua.</p>",
    )
    linked = '<p>Lihat <a href="https://x.go.id/">laman</a> ini.</p>\n<p>Isi.</p>'
    assert split_lead(linked) == ("Lihat laman ini.", linked)  # the link stays in the body
    long = "<p>" + "kata " * 200 + "</p>"
    lead, body = split_lead(long)
    assert body == long and lead.endswith("…") and len(lead) <= 301
    assert lead_repeats_body(lead, body) and lead_repeats_body("Lihat laman ini.", linked)
    assert not lead_repeats_body("Ringkasan lain.", linked)


def test_a_page_imported_before_shows_its_lead_once(news_index, client):
    lead = "Marves - Jakarta. Paragraf pembuka berita."
    page = NewsPage(title="Berita lama", slug="berita-lama", lead=lead)
    page.body = [{"type": "paragraph", "value": f"<p>{lead}</p><p>Paragraf kedua.</p>"}]
    news_index.add_child(instance=page)
    page.save_revision().publish()
    article = BeautifulSoup(client.get(page.url).content, "html.parser").select_one("article")
    assert words(article.get_text(" ")).count(lead) == 1
    assert "Paragraf kedua." in article.get_text()


def test_inline_images_are_kept_as_image_blocks_and_the_others_reported(news_index, make_source, session, client):
    with translation.override("en"):  # the reasons in the source language, whatever the catalogue says
        run_import(make_source("rss", "/extra/inline-images.xml"), session=session)
    candidate = ImportedArticle.objects.get(slug=INLINE)
    # Downloaded by the import: the feature image and the two real inline images.
    assert candidate.image is not None
    entries = {e["alt"]: e for e in candidate.body_images}
    assert entries["Peserta workshop PPID"]["image"] and entries["Narasumber workshop"]["image"]
    assert "not a supported image" in entries["Berkas rusak"]["error"]
    assert "private or local network" in entries["Alamat internal"]["error"]
    assert "list or a table" in entries["Ikon"]["error"]
    assert not any("169.254" in hit for hit in FixtureHandler.hits)
    assert len(candidate.dropped_images) == 3

    hits = len(FixtureHandler.hits)
    page = approve(candidate, None, session=session, publish=True)
    assert len(FixtureHandler.hits) == hits  # approving downloads nothing
    kinds = [block.block_type for block in page.body]
    assert kinds == ["paragraph", "image", "paragraph", "image", "paragraph"]
    images = [block.value for block in page.body if block.block_type == "image"]
    assert [image.contextual_alt_text for image in images] == ["Peserta workshop PPID", "Narasumber workshop"]
    assert all(image.collection.name == "Berita impor" for image in images)
    assert page.body[4].value.source.startswith("<p><em>Foto: Biro Komunikasi</em></p>")  # caption after image
    assert "<img" not in "".join(b.value.source for b in page.body if b.block_type == "paragraph")

    article = BeautifulSoup(client.get(page.url).content, "html.parser").select_one("article")
    rendered = [img["src"] for img in article.select(".berita-article__body img")]
    assert len(rendered) == 2 and all(src.startswith("/media/images/") for src in rendered)
    text = words(article.get_text(" "))
    assert "Peserta membahas daftar informasi publik. Setiap unit menyiapkan informasi berkala." in text
    assert "Sesi pertama membahas uji konsekuensi." in text and "Sesi kedua membahas keberatan." in text


def test_image_downloads_never_reach_private_addresses(db, news_server):
    session = build_session()
    image = f"{news_server}/konten/unggahan/2024/01/seminar-mahasiswa.jpg"
    hits = len(FixtureHandler.hits)
    for url in (image, "http://169.254.169.254/latest/meta-data/", "http://[::1]/x.jpg", "file:///etc/passwd"):
        with pytest.raises(ImageError):
            download_image(url, session, title="x", timeout=5)
    assert len(FixtureHandler.hits) == hits  # refused before any request
    # The host an administrator typed into the source is trusted (an intranet site) ...
    assert download_image(image, session, title="x", timeout=5, trusted_hosts=["127.0.0.1"]).width > 0
    # ... but not where it redirects to.
    port = news_server.rsplit(":", 1)[1]
    redirect = f"{news_server}/redirect?to=http://localhost:{port}/konten/unggahan/2023/06/ppid-workshop.jpg"
    with translation.override("en"), pytest.raises(ImageError, match="private or local"):
        download_image(redirect, session, title="x", timeout=5, trusted_hosts=["127.0.0.1"])
    assert get_image_model().objects.count() == 1
