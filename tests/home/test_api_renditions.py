"""Client-chosen renditions on /api/v2/images/ (issue 19): allow-list, WebP files, srcset, focal point, flat
query count of listings."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from PIL import features
from wagtail.images import get_image_model
from wagtail.models import Collection

from home.api.renditions import parse_rendition, rendition_pattern

from .factories import make_image

pytestmark = pytest.mark.django_db


def _open(url: str) -> PILImage.Image:
    name = url.split("/media/", 1)[1]
    with default_storage.open(name) as handle:
        image = PILImage.open(io.BytesIO(handle.read()))
        image.load()
    return image


@pytest.mark.parametrize(
    "spec",
    ["width-801", "fill-100x100", "width-800|format-gif", "max-800x800", "width-800|format-webp|format-png", "x"],
)
def test_rendition_outside_the_allow_list_is_a_400_naming_the_field(client, spec):
    image = make_image("Di luar")
    response = client.get(f"/api/v2/images/{image.pk}/", {"rendition": spec})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["rendition"] == [body["message"]]
    listing = client.get("/api/v2/images/", {"rendition": spec})
    assert listing.status_code == 400
    assert "rendition" in listing.json()


def test_rendition_message_names_the_allowed_widths(client):
    image = make_image("Pesan")
    message = client.get(f"/api/v2/images/{image.pk}/", {"rendition": "width-801"}).json()["message"]
    assert "801" in message and "320, 480, 640, 800" in message


def test_rendition_in_the_allow_list_returns_a_webp_file_with_a_srcset(client):
    image = make_image("Laut", size=(1000, 600))
    response = client.get(f"/api/v2/images/{image.pk}/", {"rendition": "width-800|format-webp"})
    assert response.status_code == 200, response.content
    rendition = response.json()["rendition"]
    assert (rendition["width"], rendition["height"], rendition["format"]) == (800, 480, "webp")
    assert rendition["url"].endswith(".webp") and rendition["full_url"].startswith("http")
    opened = _open(rendition["url"])
    assert opened.format == "WEBP"
    assert opened.size == (800, 480)
    # srcset: every allowed width the 1000 px original can give, never enlarged, all WebP
    assert [s["width"] for s in rendition["srcset"]] == [320, 480, 640, 800]
    assert all(s["url"].endswith(".webp") for s in rendition["srcset"])
    assert rendition["srcset_attr"].split(", ")[0] == f"{rendition['srcset'][0]['full_url']} 320w"


def test_fill_is_cropped_around_the_focal_point(client):
    buf = io.BytesIO()
    picture = PILImage.new("RGB", (1600, 800), (200, 0, 0))  # left half red, right half blue
    picture.paste((0, 0, 200), (800, 0, 1600, 800))
    picture.save(buf, format="PNG")
    image = get_image_model()(title="Fokus", collection=Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(buf.getvalue()), name="fokus.png")
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 1300, 400, 100, 100
    image.save()

    rendition = client.get(f"/api/v2/images/{image.pk}/", {"rendition": "fill-800x800"}).json()["rendition"]
    assert (rendition["width"], rendition["height"]) == (800, 800)
    opened = _open(rendition["url"]).convert("RGB")
    red, _green, blue = opened.getpixel((400, 400))
    assert blue > 150 and red < 50  # the square is cut from the blue side where the focal point is
    assert [(s["width"], s["height"]) for s in rendition["srcset"]] == [(400, 400), (800, 800)]


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_avif_when_pillow_supports_it(client):
    image = make_image("Avif", size=(700, 400))
    rendition = client.get(f"/api/v2/images/{image.pk}/", {"rendition": "width-640|format-avif"}).json()
    assert rendition["rendition"]["format"] == "avif"
    assert _open(rendition["rendition"]["url"]).format == "AVIF"


def test_listing_with_renditions_keeps_a_flat_query_count(client):
    def count(n_images):
        for i in range(n_images):
            make_image(f"Gambar {i}", size=(700, 400))
        url = "/api/v2/images/?rendition=width-480|format-webp&limit=50"
        assert client.get(url).status_code == 200  # generates the renditions
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        items = response.json()["items"]
        assert all(item["rendition"]["format"] == "webp" for item in items)
        return len(items), len(queries)

    few = count(2)
    many = count(5)
    assert (few[0], many[0]) == (2, 7)
    assert many[1] == few[1]


def test_the_schema_pattern_is_the_allow_list():
    pattern = re.compile(rendition_pattern())
    for spec in ("width-320", "fill-640x360|format-webp", "width-1920|format-jpeg"):
        assert pattern.match(spec) and parse_rendition(spec)
    for spec in ("width-321", "fill-640x361", "width-320|format-gif"):
        assert not pattern.match(spec)
