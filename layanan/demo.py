"""Demo content of the service desk (``manage.py seed_demo``): LAPOR categories, one operator per role and a
handful of tickets in various states across services and units. Idempotent: a second run changes nothing.

Passwords are for a LOCAL DEMO only and are printed; never run this against production data.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from home.models import Unit, UnitMembership
from layanan.core.access import ensure_role_groups
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.lapor.models import LaporCategory
from layanan.ppid import intake as ppid_intake

DEMO_PASSWORD = "pesan-demo-2026"  # noqa: S105 - local demo only, printed on purpose
DEMO_EMAIL_DOMAIN = "demo.pesan.invalid"

CATEGORIES = [
    ("infrastruktur", "Infrastruktur", None),
    ("jalan-jembatan", "Jalan dan jembatan", "infrastruktur"),
    ("fasilitas-umum", "Fasilitas umum", "infrastruktur"),
    ("pelayanan-publik", "Pelayanan publik", None),
    ("perizinan", "Perizinan", "pelayanan-publik"),
    ("administrasi-kependudukan", "Administrasi kependudukan", "pelayanan-publik"),
    ("kepegawaian", "Kepegawaian", None),
]

USERS = [
    ("ppid.utama", "Rina", "Wulandari", ["PPID Utama"], 0),
    ("operator.unit1", "Agus", "Pratama", ["Operator Unit"], 1),
    ("operator.unit2", "Dewi", "Lestari", ["Operator Unit"], 2),
    ("atasan.ppid", "Hendra", "Gunawan", ["Atasan PPID"], 0),
    ("admin.lapor", "Sari", "Kusuma", ["Admin LAPOR"], 0),
    ("inspektorat", "Bambang", "Irawan", ["Inspektorat (WBS)"], 0),
    ("admin.sosmed", "Lina", "Marlina", ["Admin Media Sosial"], 0),
]


def ensure_units():
    """The first two active units (by sort order), creating demo units when fewer exist."""
    units = list(Unit.objects.filter(active=True).order_by("sort_order", "code")[:2])
    defaults = [("DEMO-DEP1", "Kedeputian Bidang Kebijakan (demo)"), ("DEMO-DEP2", "Kedeputian Bidang Layanan (demo)")]
    for code, name in defaults[len(units) :]:
        unit, _ = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "email": f"{code.lower()}@{DEMO_EMAIL_DOMAIN}"}
        )
        units.append(unit)
    return units


def ensure_categories():
    made = {}
    for order, (slug, name, parent) in enumerate(CATEGORIES):
        made[slug], _ = LaporCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": made.get(parent), "sort_order": order}
        )
    return made


def ensure_users(units, stdout):

    ensure_role_groups()
    user_model = get_user_model()
    users = {}
    for username, first, last, groups, unit_no in USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=groups))
        if unit_no:
            UnitMembership.objects.get_or_create(user=user, unit=units[unit_no - 1])
        users[username] = user_model.objects.get(pk=user.pk)
        stdout.write(f"  layanan demo user: {username} / {DEMO_PASSWORD} ({', '.join(groups)})")
    return users


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    """``hour`` o'clock WIB (the site's time zone), ``days_ago`` calendar days before today (WIB); aware."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def person(i: int, **extra) -> dict:
    """Applicant ``i``'s fixed identity (name, NIK, e-mail at the ``.invalid`` demo domain, phone, address)
    merged with ``extra`` (the service's own fields)."""
    names = ["Siti Aminah", "Budi Santoso", "Andi Wijaya", "Maria Ulfa", "Yusuf Hakim", "Nur Aini"]
    data = {
        "name": names[i % len(names)],
        "nik": f"3171{i:02d}0101900{i:03d}",
        "email": f"pemohon{i}@{DEMO_EMAIL_DOMAIN}",
        "phone": f"08123456{i:04d}",
        "address": f"Jl. Contoh No. {i + 1}, Jakarta",
    }
    data.update(extra)
    return data


def submit_request(i: int, days_ago: int, info: str, *, channel: str = "web", registered_by=None, **extra):
    """A PPID request of applicant ``i`` received ``days_ago`` days ago at 10:00 WIB through the real intake
    (``submit_ppid_request``); ``extra`` overrides the request's fields. Returns the ticket."""
    data = person(
        i,
        information_requested=info,
        purpose="Penelitian dan pengawasan publik",
        obtain_method="soft_copy",
        delivery_method="email",
    )
    data.update(extra)
    return ppid_intake.submit_ppid_request(
        data, received_at=at(days_ago), channel=channel, registered_by=registered_by
    ).ticket


def submit_report(i: int, days_ago: int, title: str, description: str, category, **extra):
    """A SP4N-LAPOR report of reporter ``i`` received ``days_ago`` days ago at 10:00 WIB through the real
    intake (``submit_lapor_report``); ``classification`` defaults to pengaduan. Returns the ticket."""
    data = person(i, title=title, classification="pengaduan", description=description, category=category)
    data.update(extra)
    return lapor_intake.submit_lapor_report(data, received_at=at(days_ago)).ticket


def _tickets(units, categories, users):
    ppid, op1, op2 = users["ppid.utama"], users["operator.unit1"], users["operator.unit2"]
    atasan, lapor = users["atasan.ppid"], users["admin.lapor"]

    request = submit_request

    # 1. fresh request, just received
    request(0, 0, "Daftar Informasi Publik tahun berjalan")
    # 2. overdue: disposed to unit 1 four weeks ago and still in process
    t = request(1, 28, "Laporan realisasi anggaran triwulan I")
    t = apply_transition(t, "verify", ppid)
    t = apply_transition(t, "assign", ppid, unit=units[0].pk, note="Mohon disiapkan oleh unit.")
    apply_transition(t, "start_processing", op1)
    # 3. extended once, in process at unit 2 (walk-in, registered by the PPID officer)
    t = ppid_intake.submit_ppid_request(
        person(
            2,
            information_requested="Kontrak pengadaan alat kesehatan 2025",
            purpose="Liputan jurnalistik",
            obtain_method="hard_copy",
            delivery_method="in_person",
        ),
        received_at=at(9),
        channel="walk_in",
        registered_by=ppid,
    ).ticket
    t = apply_transition(t, "assign", ppid, unit=units[1].pk)
    t = apply_transition(t, "start_processing", op2)
    apply_transition(t, "extend", ppid, reason="Dokumen berada di tiga satuan kerja dan perlu dihimpun.")
    # 4. granted in part and delivered
    t = request(3, 20, "Notulen rapat koordinasi kebijakan")
    t = apply_transition(t, "assign", ppid, unit=units[0].pk)
    t = apply_transition(
        t,
        "decide",
        op1,
        outcome="granted_part",
        outcome_reason="Data pribadi peserta dihitamkan.",
        note="Informasi diberikan sebagian; bagian yang memuat data pribadi dihitamkan.",
    )
    apply_transition(t, "deliver", op1, note="Dikirim melalui e-mail.")
    # 5. rejected (Pasal 17 h) -> objection under review by the Atasan PPID
    t = request(4, 15, "Data kepegawaian lengkap pejabat eselon II")
    t = apply_transition(t, "verify", ppid)
    t = apply_transition(
        t,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Memuat data pribadi yang dilindungi.",
        note="Permohonan ditolak.",
    )
    objection = ppid_intake.submit_objection(
        person(
            4,
            request_tracking_number=t.tracking_number,
            reason="a",
            description="Sebagian data (nama dan jabatan) bukan rahasia pribadi.",
        ),
        received_at=at(5),
    ).ticket
    apply_transition(objection, "start_review", atasan)
    # 6. LAPOR: anonymous complaint waiting for verification
    submit_report(
        5,
        1,
        "Antrean layanan perizinan tidak tertib",
        "Nomor antrean dilewati tanpa penjelasan.",
        categories["perizinan"],
        classification="pengaduan",
        location="Kantor pelayanan terpadu",
        anonymous=True,
    )
    # 7. LAPOR: verified and disposed to unit 1, due soon
    t = submit_report(
        1,
        6,
        "Lampu penerangan jalan padam",
        "Lampu di depan gedung padam sejak sepekan.",
        categories["fasilitas-umum"],
        classification="pengaduan",
        location="Jl. Merdeka Barat",
    )
    t = apply_transition(t, "verify", lapor, classification="pengaduan")
    apply_transition(t, "assign", lapor, unit=units[0].pk)
    # 8. LAPOR: aspiration followed up and closed
    t = submit_report(
        3,
        30,
        "Usul layanan konsultasi daring",
        "Mohon dibuka layanan konsultasi melalui video.",
        categories["pelayanan-publik"],
        classification="aspirasi",
    )
    t = apply_transition(t, "verify", lapor)
    t = apply_transition(t, "assign", lapor, unit=units[1].pk)
    t = apply_transition(t, "follow_up", op2, note="Usulan ditampung untuk rencana kerja tahun depan.")
    apply_transition(t, "close", lapor)


def seed(stdout) -> None:
    """Create the desk's demo data once (categories, users per role, tickets); print the demo logins."""
    units = ensure_units()
    categories = ensure_categories()
    users = ensure_users(units, stdout)
    if Ticket.objects.filter(applicant_email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
        stdout.write("  layanan demo tickets already present")
        return
    _tickets(units, categories, users)
    stdout.write(f"  layanan demo: {Ticket.objects.count()} tickets")
