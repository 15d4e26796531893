"""Demo content of the home app, loaded by ``manage.py seed_demo`` (and ``make run``).

``seed(stdout)`` builds the site skeleton: units (``home/demo_data/units.csv``), the HomePage at the site root
(replacing Wagtail's welcome page), the Wagtail ``Site`` (default; hostname and port of ``WAGTAILADMIN_BASE_URL``,
e.g. ``make run``'s HOST:PORT: one root URL, ``home.absolute_urls``), the organisation settings,
three slides whose images are drawn locally with Pillow, a PPID profile page, two standard pages, the DIP index
with entries in all four classes (``home/demo_data/dip.csv``), and the local-only superuser ``admin`` / ``pesan-admin``.

``link_regulations(stdout)`` runs after the other apps have seeded: it points the PPID profile's legal basis and
the home page's featured regulations at the regulation pages (``regulasi``) when those fields are still empty.

Idempotent: objects are looked up by natural keys (unit code, page slug, image/document title) and only created
when missing; existing content, edited or not, is left alone. Reads only files inside the project.

The contact details (phone, WhatsApp) are demo placeholders: check them before publishing.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from .absolute_urls import site_address
from .models import (
    HomePage,
    HomePageSlide,
    OrganisationSettings,
    PPIDOfficial,
    PPIDProfilePage,
    PublicInformationIndexPage,
    PublicInformationPage,
    SocialMediaAccount,
    StandardPage,
    Unit,
)
from .models.base import optional_model

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
ORG_NAME = "Kementerian Koordinator Bidang Kemaritiman dan Investasi"
ORG_SHORT = "Kemenko Marves"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "pesan-admin"  # noqa: S105 - local demo only, printed by seed_demo

SERVICE_CHARTER = (
    "<p><b>MAKLUMAT PELAYANAN</b></p>"
    "<p>Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
    "perundang-undangan yang berlaku.</p>"
)

# ----------------------------------------------------------------------------------------------------------------
# Locally generated media
# ----------------------------------------------------------------------------------------------------------------

PALETTES = [((11, 79, 138), (18, 140, 160)), ((8, 58, 102), (29, 122, 70)), ((122, 12, 30), (11, 79, 138))]


def _font(size: int):
    return ImageFont.load_default(size=size)


def _gradient(width: int, height: int, top: tuple, bottom: tuple) -> PILImage.Image:
    img = PILImage.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(img)
    for x in range(width):
        t = x / max(width - 1, 1)
        colour = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        draw.line([(x, 0), (x, height)], fill=colour)
    return img


def _slide_png(index: int) -> bytes:
    """A 1600×600 slide background: colour gradient, sea waves and a compass, drawn with Pillow (the title and
    caption are text on the page, not in the image)."""
    width, height = 1600, 600
    top, bottom = PALETTES[index % len(PALETTES)]
    img = _gradient(width, height, top, bottom)
    draw = ImageDraw.Draw(img)
    for row in range(5):
        y = 360 + row * 48
        points = [(x, y + int(18 * ((x // 80) % 2))) for x in range(0, width + 80, 80)]
        draw.line(points, fill=(255, 255, 255), width=3, joint="curve")
    cx, cy, r = 1300 - index * 250, 170, 90
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(255, 255, 255), width=4)
    draw.polygon([(cx, cy - r + 10), (cx + 18, cy), (cx, cy + r - 10), (cx - 18, cy)], fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _logo_png() -> bytes:
    """A 400×400 emblem: a compass rose in a circle, drawn with Pillow."""
    img = PILImage.new("RGBA", (400, 400), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((10, 10, 390, 390), fill=(11, 79, 138), outline=(200, 160, 40), width=14)
    draw.polygon([(200, 50), (230, 200), (200, 350), (170, 200)], fill=(255, 255, 255))
    draw.polygon([(50, 200), (200, 170), (350, 200), (200, 230)], fill=(200, 160, 40))
    draw.ellipse((180, 180, 220, 220), fill=(11, 79, 138))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _structure_png() -> bytes:
    """A simple PPID organisation chart (boxes and lines), drawn with Pillow."""
    img = PILImage.new("RGB", (1200, 640), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = _font(26)

    def box(x, y, text):
        draw.rounded_rectangle((x, y, x + 320, y + 90), radius=14, fill=(220, 235, 248), outline=(11, 79, 138), width=3)
        draw.multiline_text((x + 16, y + 14), text, font=font, fill=(8, 58, 102), spacing=6)

    box(440, 30, "Atasan PPID\nSekretaris Kemenko")
    box(440, 200, "PPID Utama\nKepala Biro Komunikasi")
    draw.line((600, 120, 600, 200), fill=(11, 79, 138), width=3)
    draw.line((180, 340, 1020, 340), fill=(11, 79, 138), width=3)
    draw.line((600, 290, 600, 340), fill=(11, 79, 138), width=3)
    for i, label in enumerate(["PPID Pelaksana\nDeputi 1–3", "PPID Pelaksana\nDeputi 4–6", "Sekretariat\nPPID"]):
        x = 20 + i * 400
        draw.line((x + 160, 340, x + 160, 400), fill=(11, 79, 138), width=3)
        box(x, 400, label)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF (rendered by Pillow) with a title and a few lines of text."""
    img = PILImage.new("RGB", (1240, 1754), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.text((100, 100), ORG_NAME, font=_font(28), fill=(8, 58, 102))
    draw.text((100, 180), title, font=_font(40), fill=(0, 0, 0))
    for i, line in enumerate(lines):
        draw.text((100, 280 + i * 50), line, font=_font(28), fill=(40, 40, 40))
    draw.text((100, 1650), "Dokumen contoh (demo PESAN)", font=_font(22), fill=(120, 120, 120))
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=150)
    return buf.getvalue()


def _image(title: str, filename: str, data: bytes):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


def _document(title: str, filename: str, lines: list[str]):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title)
    document.file = ContentFile(_pdf(title, lines), name=filename)
    document._set_document_file_metadata()
    document.save()
    return document


# ----------------------------------------------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------------------------------------------


def _child(parent: Page, model, slug: str, **fields):
    """The child of ``parent`` with ``slug`` (created, saved as a revision and published when missing)."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page, True


def _seed_units(stdout) -> dict[str, Unit]:
    units = {}
    with open(DEMO_DATA / "units.csv", encoding="utf-8", newline="") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            unit, _ = Unit.objects.get_or_create(
                code=row["code"].strip(),
                defaults={"name": row["name"].strip(), "kind": row["kind"].strip(), "sort_order": order * 10},
            )
            units[unit.code] = unit
    stdout.write(f"  units: {len(units)}")
    return units


def _seed_site() -> tuple[HomePage, Site]:
    """The HomePage under the root and the default Site pointing at it; Wagtail's welcome page removed."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        home = HomePage(title=ORG_NAME, slug="beranda", seo_title="Beranda", show_in_menus=False)
        root.add_child(instance=home)
        home.save_revision().publish()
        home.refresh_from_db()
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.filter(root_page=home).first()
    hostname, port = site_address()  # the configured root URL (issue 19): html_url agrees with the rest
    if site is None:
        site = Site(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=ORG_SHORT)
    else:
        site.hostname, site.port, site.root_page, site.is_default_site = hostname, port, home, True
        site.site_name = site.site_name or ORG_SHORT
    site.save()
    # Wagtail's "Welcome to your new Wagtail site!" page: a plain Page directly under the root.
    for page in root.get_children().exact_type(Page):
        if not Site.objects.filter(root_page=page).exists() and not page.get_children().exists():
            page.delete()
    return home, site


def _seed_settings(site: Site, logo) -> OrganisationSettings:
    org = OrganisationSettings.for_site(site)
    defaults = {
        "name": ORG_NAME,
        "short_name": ORG_SHORT,
        "address": "Gedung BPPT I, Jl. M.H. Thamrin No. 8\nJakarta Pusat 10340",
        "phone": "(021) 3922 333",
        "email": "ppid@maritim.go.id",
        "whatsapp": "0812-0000-0000",
        "office_hours": "Senin–Jumat 08.00–16.00 WIB",
        "service_charter": SERVICE_CHARTER,
    }
    changed = False
    for field, value in defaults.items():
        current = getattr(org, field)
        if not current or (field == "name" and current == OrganisationSettings._meta.get_field("name").default):
            setattr(org, field, value)
            changed = True
    if org.logo_id is None:
        org.logo = logo
        changed = True
    if changed:
        org.save()
    if not org.social_accounts.exists():
        accounts = [
            ("instagram", "@kemenkomarves", "https://www.instagram.com/kemenkomarves"),
            ("x", "@kemenkomarves", "https://x.com/kemenkomarves"),
            ("youtube", "@kemenkomarves", "https://www.youtube.com/@kemenkomarves"),
            ("facebook", "kemenkomarves", "https://www.facebook.com/kemenkomarves"),
        ]
        for order, (platform, handle, url) in enumerate(accounts):
            SocialMediaAccount.objects.create(settings=org, platform=platform, handle=handle, url=url, sort_order=order)
    return org


def _seed_ppid_profile(home: HomePage, units: dict[str, Unit], structure) -> PPIDProfilePage:
    sop = _document(
        "SOP Pelayanan Permohonan Informasi Publik",
        "sop-permohonan-informasi.pdf",
        [
            "1. Pemohon mengajukan permohonan (daring, surel, atau datang langsung).",
            "2. Petugas mencatat dan memberi nomor registrasi.",
            "3. PPID memberi pemberitahuan tertulis paling lambat 10 hari kerja.",
            "4. Dapat diperpanjang sekali, paling lama 7 hari kerja.",
        ],
    )
    sop_objection = _document(
        "SOP Penanganan Keberatan",
        "sop-keberatan.pdf",
        [
            "1. Keberatan diajukan paling lambat 30 hari kerja sejak alasan keberatan timbul.",
            "2. Atasan PPID memberi tanggapan paling lambat 30 hari kerja.",
        ],
    )
    officials = [
        ("Dr. Andi Wijaya", "Sekretaris Kementerian Koordinator", PPIDOfficial.Role.SUPERIOR, "SES"),
        ("Rina Kusumawati, S.Sos., M.Si.", "Kepala Biro Komunikasi", PPIDOfficial.Role.MAIN, "ROKOM"),
        (
            "Hendra Saputra, S.T.",
            "Sekretaris Deputi Bidang Koordinasi Kedaulatan Maritim dan Energi",
            PPIDOfficial.Role.IMPLEMENTING,
            "DEP1",
        ),
        ("Maya Lestari, S.H.", "Koordinator Layanan Informasi", PPIDOfficial.Role.SECRETARIAT, "ROKOM"),
    ]
    page, _ = _child(
        home,
        PPIDProfilePage,
        "profil-ppid",
        title="Profil PPID",
        show_in_menus=True,
        vision="<p>Terwujudnya pelayanan informasi publik yang transparan, akuntabel, cepat, dan tepat waktu.</p>",
        mission=(
            "<ol><li>Meningkatkan pengelolaan dan pelayanan informasi publik yang berkualitas.</li>"
            "<li>Membangun sistem informasi dan dokumentasi yang mudah diakses.</li>"
            "<li>Meningkatkan kompetensi sumber daya manusia pengelola informasi.</li></ol>"
        ),
        duties_and_functions=(
            "<p>PPID bertugas menyimpan, mendokumentasikan, menyediakan, dan memberikan pelayanan informasi "
            "publik (UU 14/2008 Pasal 13; PP 61/2010).</p>"
            "<ul><li>Menyusun dan memutakhirkan Daftar Informasi Publik.</li>"
            "<li>Melayani permohonan informasi dan keberatan.</li>"
            "<li>Melakukan uji konsekuensi atas informasi yang dikecualikan.</li></ul>"
        ),
        structure_image=structure,
        sop_documents=[
            ("document", {"document": sop, "title": ""}),
            ("document", {"document": sop_objection, "title": ""}),
        ],
        officials=[
            PPIDOfficial(name=name, position=position, role=role, unit=units.get(code), sort_order=order)
            for order, (name, position, role, code) in enumerate(officials)
        ],
    )
    return page


def _seed_standard_pages(home: HomePage) -> dict[str, StandardPage]:
    form = _document(
        "Formulir Permohonan Informasi Publik",
        "formulir-permohonan-informasi.pdf",
        ["Nama:", "NIK:", "Alamat:", "Informasi yang dibutuhkan:", "Tujuan penggunaan:", "Cara memperoleh:"],
    )
    procedure, _ = _child(
        home,
        StandardPage,
        "tata-cara-permohonan-informasi",
        title="Tata Cara Permohonan Informasi Publik",
        show_in_menus=True,
        intro="Langkah dan jangka waktu permohonan informasi publik menurut UU 14/2008.",
        body=[
            ("heading", {"text": "Cara mengajukan permohonan", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>Isi formulir permohonan secara daring, kirim surel, atau datang ke meja layanan.</li>"
                "<li>Sertakan identitas (KTP, atau akta pendirian untuk badan hukum).</li>"
                "<li>Catat nomor registrasi permohonan Anda untuk memantau statusnya.</li></ol>",
            ),
            ("heading", {"text": "Jangka waktu", "level": "h2"}),
            (
                "table",
                {
                    "caption": "Jangka waktu layanan (hari kerja)",
                    "table": {
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "data": [
                            ["Tahap", "Jangka waktu", "Dasar hukum"],
                            ["Pemberitahuan tertulis", "10 hari kerja", "UU 14/2008 Pasal 22(7)"],
                            ["Perpanjangan", "7 hari kerja", "UU 14/2008 Pasal 22(8)"],
                            ["Pengajuan keberatan", "30 hari kerja", "UU 14/2008 Pasal 36(1)"],
                            ["Tanggapan atasan PPID", "30 hari kerja", "UU 14/2008 Pasal 36(2)"],
                        ],
                    },
                },
            ),
            (
                "quote",
                {
                    "quote": "Setiap Informasi Publik bersifat terbuka dan dapat diakses oleh setiap Pengguna "
                    "Informasi Publik.",
                    "attribution": "UU 14/2008 Pasal 2 ayat (1)",
                },
            ),
            ("heading", {"text": "Ajukan secara daring", "level": "h2"}),
            (
                "paragraph",
                '<p><a href="/layanan/permohonan-informasi/">Isi formulir permohonan informasi daring</a> — Anda '
                "langsung menerima nomor registrasi, token akses, dan tanda bukti penerimaan.</p>"
                '<p>Sudah mengajukan? <a href="/layanan/cek-status/">Cek status permohonan</a>. Tidak puas dengan '
                'jawabannya? <a href="/layanan/keberatan/">Ajukan keberatan</a>.</p>',
            ),
            ("document", {"document": form, "title": "Unduh formulir permohonan (PDF)"}),
        ],
    )
    wbs, _ = _child(
        home,
        StandardPage,
        "whistleblowing-system",
        title="Whistleblowing System (WBS)",
        show_in_menus=False,
        intro="Laporkan dugaan pelanggaran atau KKN oleh pegawai. Identitas pelapor dirahasiakan.",
        body=[
            (
                "paragraph",
                "<p>WBS dikelola oleh Inspektorat. Laporan dapat dikirim tanpa identitas; Anda menerima kode "
                "tanda terima untuk memantau tindak lanjut dan berkomunikasi dengan pengelola.</p>",
            ),
            ("heading", {"text": "Apa yang dapat dilaporkan", "level": "h2"}),
            (
                "paragraph",
                "<ul><li>Korupsi, suap, gratifikasi, pemerasan</li><li>Penyalahgunaan wewenang</li>"
                "<li>Benturan kepentingan dalam pengadaan</li><li>Pelanggaran disiplin dan kode etik</li></ul>",
            ),
            ("heading", {"text": "Kirim laporan", "level": "h2"}),
            (
                "paragraph",
                '<p><a href="/wbs/">Buat laporan WBS</a> — tanpa akun dan tanpa identitas bila Anda mau. Simpan kode '
                'tanda terima yang muncul setelah laporan terkirim; dengan kode itu Anda <a href="/wbs/akses/">membuka '
                "laporan</a>, membaca tanggapan, dan menjawab pertanyaan pengelola.</p>",
            ),
        ],
    )
    return {"procedure": procedure, "wbs": wbs}


def _seed_dip(home: HomePage, units: dict[str, Unit]) -> PublicInformationIndexPage:
    index, _ = _child(
        home,
        PublicInformationIndexPage,
        "daftar-informasi-publik",
        title="Daftar Informasi Publik",
        show_in_menus=True,
        intro="<p>Informasi yang dikuasai kementerian menurut klasifikasinya (UU 14/2008 Pasal 9–11 dan 17). "
        "Informasi yang dikecualikan mencantumkan dasar pengecualian dan uji konsekuensinya.</p>",
    )
    with open(DEMO_DATA / "dip.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        documents = []
        if row.pop("with_document") == "yes":
            doc = _document(row["title"], f"{row['slug']}.pdf", [row["summary"][:90], f"Tahun {row['year']}"])
            documents = [("document", {"document": doc, "title": ""})]
        slug = row.pop("slug")
        dik = _dik_fields(row)  # the exemption and the PPID's decision (SK penetapan) of an exempt entry
        page, created = _child(
            index,
            PublicInformationPage,
            slug,
            **{**row, **dik, "unit": units[row["unit"]], "year": int(row["year"]), "documents": documents},
        )
        if not created and page.is_exempt and not page.decision_number:  # seeded before the DIK fields existed
            for name, value in dik.items():
                setattr(page, name, value)
            page.save_revision().publish()
    return index


DIK_DATE_FIELDS = ("exempt_until", "decision_date")


def _dik_fields(row: dict) -> dict:
    """Pop the DIK columns of a ``dip.csv`` row: dates parsed (empty: none) and, for an exempt entry, the demo
    decision file (one SK penetapan per decision number)."""
    fields = {name: row.pop(name) for name in ("ground_statute", "public_interest_test", "exemption_period")}
    for name in DIK_DATE_FIELDS:
        value = row.pop(name)
        fields[name] = datetime.date.fromisoformat(value) if value else None
    fields["decision_number"] = row.pop("decision_number")
    if row["information_class"] == "dikecualikan" and fields["decision_number"]:
        number = fields["decision_number"]
        fields["decision_document"] = _document(
            f"Keputusan PPID {number} tentang Penetapan Informasi yang Dikecualikan",
            f"sk-penetapan-dik-{slugify(number)}.pdf",
            [f"Nomor {number}", f"Tanggal {fields['decision_date']:%d-%m-%Y}", "Lampiran: hasil uji konsekuensi"],
        )
    return fields


def _seed_home(home: HomePage, pages: dict[str, Page], slide_images: list) -> None:
    changed = False
    if not home.intro:
        home.intro = (
            "<p>Selamat datang di portal Pejabat Pengelola Informasi dan Dokumentasi (PPID). Di sini Anda dapat "
            "mengajukan permohonan informasi publik, menyampaikan pengaduan melalui SP4N-LAPOR!, dan melaporkan "
            "dugaan pelanggaran melalui Whistleblowing System.</p>"
        )
        changed = True
    if not len(home.service_shortcuts):
        home.service_shortcuts = [
            (
                "shortcut",
                {
                    "service": "ppid",
                    "title": "Permohonan Informasi",
                    "description": "Ajukan permohonan informasi publik; dijawab paling lambat 10 hari kerja.",
                    "link": {"page": pages["procedure"], "url": ""},
                },
            ),
            (
                "shortcut",
                {
                    "service": "lapor",
                    "title": "Pengaduan SP4N-LAPOR!",
                    "description": "Sampaikan pengaduan dan aspirasi tentang pelayanan publik.",
                    "link": {"page": None, "url": "/layanan/pengaduan/"},
                },
            ),
            (
                "shortcut",
                {
                    "service": "wbs",
                    "title": "Whistleblowing System",
                    "description": "Laporkan dugaan pelanggaran atau KKN. Identitas Anda dirahasiakan.",
                    "link": {"page": pages["wbs"], "url": ""},
                },
            ),
        ]
        changed = True
    if not home.slides.exists():
        slides = [
            (
                "Layanan Informasi Publik",
                "Ajukan permohonan informasi, dijawab paling lambat 10 hari kerja.",
                pages["procedure"],
                "",
            ),
            ("Daftar Informasi Publik", "Temukan informasi berkala, serta merta, dan setiap saat.", pages["dip"], ""),
            (
                "Sampaikan Pengaduan Anda",
                "Pengaduan pelayanan publik melalui SP4N-LAPOR!.",
                None,
                "/layanan/pengaduan/",
            ),
        ]
        home.slides = [
            HomePageSlide(title=title, caption=caption, image=image, link_page=page, link_url=url, sort_order=order)
            for order, ((title, caption, page, url), image) in enumerate(zip(slides, slide_images, strict=True))
        ]
        changed = True
    if changed:
        # One revision holding every change (slides included), so the admin edits what is published.
        home.save_revision().publish()


def _seed_admin(stdout) -> None:
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        # A first and last name: Wagtail's account form requires them, so without them the demo admin could not
        # save a preference (the admin language) in Account.
        User.objects.create_superuser(
            ADMIN_USERNAME, "admin@localhost", ADMIN_PASSWORD, first_name="Admin", last_name="Demo"
        )
        stdout.write(f"  admin user created — login: {ADMIN_USERNAME} / {ADMIN_PASSWORD} (local demo only)")
    else:
        stdout.write(
            f"  admin user exists — login: {ADMIN_USERNAME} (password unchanged; demo default {ADMIN_PASSWORD})"
        )


def seed(stdout) -> None:
    """Create the home app's demo content (see the module docstring). Idempotent; one transaction."""
    with transaction.atomic():
        units = _seed_units(stdout)
        home, site = _seed_site()
        logo = _image("Logo Kemenko Marves (demo)", "logo-demo.png", _logo_png())
        _seed_settings(site, logo)
        structure = _image("Struktur Organisasi PPID (demo)", "struktur-ppid.png", _structure_png())
        titles = ["Layanan Informasi Publik", "Daftar Informasi Publik", "Sampaikan Pengaduan Anda"]
        slide_images = [
            _image(f"Slide {i + 1}: {title}", f"slide-{i + 1}.png", _slide_png(i)) for i, title in enumerate(titles)
        ]
        ppid = _seed_ppid_profile(home, units, structure)
        standard = _seed_standard_pages(home)
        dip = _seed_dip(home, units)
        _seed_home(home, {**standard, "ppid": ppid, "dip": dip}, slide_images)
        _seed_admin(stdout)
    stdout.write(f"  site: http://{site.hostname}:{site.port}/ → {home.title}")


# Regulations the PPID cites first: (kind code, number, year).
LEGAL_BASIS = [("uu", "14", 2008), ("pp", "61", 2010), ("uu", "25", 2009), ("uu", "27", 2022), ("perki", "1", 2021)]


def link_regulations(stdout) -> None:
    """Fill the PPID profile's legal basis and the home page's featured regulations from the regulation pages
    (``regulasi.RegulationPage``), when they are still empty. Runs after every app has seeded."""
    regulation_model = optional_model("regulasi", "RegulationPage")
    if regulation_model is None:
        return
    found = []
    for kind, number, year in LEGAL_BASIS:
        page = regulation_model.objects.live().filter(kind=kind, number=number, year=year).first()
        if page is not None:
            found.append(page)
    if not found:
        return
    linked = 0
    with transaction.atomic():
        for profile in PPIDProfilePage.objects.all():
            if not len(profile.legal_basis):
                profile.legal_basis = [("regulation", page) for page in found]
                profile.save_revision().publish()
                linked += 1
        for home in HomePage.objects.all():
            if not len(home.featured_regulations):
                home.featured_regulations = [("regulation", page) for page in found[:3]]
                home.save_revision().publish()
                linked += 1
    if linked:
        stdout.write(f"  linked {len(found)} regulations to the PPID profile and the home page")
