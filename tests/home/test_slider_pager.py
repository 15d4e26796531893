"""The home page slider's pager reads the slides' titles (issue 19), not "Slide 1", "Slide 2", "Slide 3": a screen
reader user hears where each link goes, a sighted user reads it."""

import re

import pytest

from home.models import HomePageSlide

from .factories import make_image, make_site

pytestmark = pytest.mark.django_db

TITLES = ["Layanan Informasi Publik", "Daftar Informasi Publik", "Sampaikan Pengaduan Anda"]


def pager_links(html: str) -> list[tuple[str, str]]:
    """``(href, accessible name)`` of the pager's links (their text: the links carry no aria-label)."""
    nav = re.search(r'<nav class="slider__dots"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "the slider has a pager"
    links = re.findall(r'<a href="([^"]+)"([^>]*)>(.*?)</a>', nav.group(1), re.S)
    assert all("aria-label" not in attributes for _href, attributes, _text in links)
    return [(href, re.sub(r"<[^>]+>", "", text).strip()) for href, _attributes, text in links]


def test_the_pager_reads_the_slide_titles(client):
    home = make_site()
    image = make_image("Latar slide")
    home.slides = [
        HomePageSlide(title=title, caption="Keterangan.", image=image, sort_order=order)
        for order, title in enumerate(TITLES)
    ]
    home.save_revision().publish()

    html = client.get("/").content.decode()
    assert pager_links(html) == [(f"#slide-{n}", title) for n, title in enumerate(TITLES, start=1)]
    assert not re.search(r"\bSlide \d\b", html)
    for n, title in enumerate(TITLES, start=1):  # each link's target is the slide with that title
        slide = re.search(rf'<li class="slider__slide" id="slide-{n}".*?</li>', html, re.S).group(0)
        assert f">{title}<" in slide
