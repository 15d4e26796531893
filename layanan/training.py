"""Training mode (issue 21): reset a workshop install to a known state, so a trainer can run the same exercise twice.

:func:`reset` deletes every ticket (with its timeline, messages, attachments and issued documents — their stored
files after the commit), every outbox row and the tracking-number counters, then recreates the training set: for
the front desk one ticket per service and reachable state that has no unit yet (PPID requests being verified,
objections, LAPOR reports before disposition, WBS reports, social-media messages), and for EACH active unit
(``home.models.Unit``) the PPID requests and LAPOR reports disposed to it, one per later state. Every ticket is made
by the real intake functions (``submit_ppid_request``, ``submit_objection``, ``submit_lapor_report``,
``submit_wbs_report``, ``receive_social_message``) and walked by :func:`layanan.core.workflow.apply_transition`,
with fixed texts and receipt times relative to today (10:00 WIB, ``layanan.demo.at``, in calendar days). Due dates
are therefore the same on every run of the same day; on another weekday a working-day deadline may fall a day or
two differently relative to today (weekends and holidays move with it).

Refused unless ``settings.PESAN_TRAINING_MODE`` is true, or ``force`` on a DEBUG install (:class:`TrainingRefused`).
The demo officers of ``layanan.demo`` (one per role; password ``layanan.demo.DEMO_PASSWORD``) act and are
created when missing; an active unit without an operator of its own gets one (``operator.<unit code>``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from home.models import Unit, UnitMembership
from layanan.core.models.outbox import OutboxTask
from layanan.core.models.tickets import Attachment, Ticket, TrackingCounter
from layanan.core.retention import delete_files
from layanan.core.workflow import apply_transition
from layanan.demo import (
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    at,
    ensure_categories,
    ensure_units,
    ensure_users,
    person,
    submit_report,
    submit_request,
)
from layanan.ppid import intake as ppid_intake
from layanan.social.services import receive_social_message
from layanan.wbs.services import submit_wbs_report

__all__ = ["TrainingRefused", "TrainingSummary", "allowed", "reset"]


class TrainingRefused(Exception):
    """The install is not a training install (``PESAN_TRAINING_MODE`` off and no ``force`` on a DEBUG install)."""


@dataclass
class TrainingSummary:
    """What :func:`reset` did: tickets deleted, tickets created per service, units served."""

    deleted: int = 0
    created: dict[str, int] = field(default_factory=dict)
    units: list[str] = field(default_factory=list)


def allowed(force: bool = False) -> bool:
    """Whether a reset may run: ``PESAN_TRAINING_MODE`` on, or ``force`` on a DEBUG install."""
    return bool(getattr(settings, "PESAN_TRAINING_MODE", False)) or (force and settings.DEBUG)


# --- who acts -----------------------------------------------------------------------------------------------------
def _unit_operator(unit):
    """An "Operator Unit" member of ``unit``; one is created (demo password) when the unit has none."""
    user_model = get_user_model()
    operator = (
        user_model.objects.filter(groups__name="Operator Unit", unit_memberships__unit=unit, is_active=True)
        .order_by("pk")
        .first()
    )
    if operator is not None:
        return operator
    username = f"operator.{unit.code.lower()}"
    operator, created = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": "Operator", "last_name": unit.code, "email": f"{username}@{DEMO_EMAIL_DOMAIN}"},
    )
    if created:
        operator.is_staff = True
        operator.set_password(DEMO_PASSWORD)
        operator.save()
    operator.groups.add(*Group.objects.filter(name="Operator Unit"))
    UnitMembership.objects.get_or_create(user=operator, unit=unit)
    return operator


# --- the training set ---------------------------------------------------------------------------------------------
Step = tuple[str, str, dict]  # (action, actor key, inputs)


def _walk(ticket, steps: list[Step], actors: dict) -> Ticket:
    for action, actor, inputs in steps:
        ticket = apply_transition(ticket, action, actors[actor], **inputs)
    return ticket


def _rejected_request(i: int, days_ago: int, info: str, actors: dict) -> Ticket:
    """A request refused under Pasal 17 huruf h (ground of an objection, reason a)."""
    ticket = submit_request(i, days_ago, info)
    return _walk(
        ticket,
        [
            ("verify", "ppid", {}),
            (
                "decide",
                "ppid",
                {
                    "outcome": "rejected_exempt",
                    "exemption_ground": "h",
                    "outcome_reason": "Memuat data pribadi yang dilindungi.",
                    "note": "Permohonan ditolak berdasarkan Pasal 17 huruf h UU 14/2008.",
                },
            ),
        ],
        actors,
    )


def _objection(i: int, days_ago: int, request: Ticket, reason: str, text: str) -> Ticket:
    data = person(i, request_tracking_number=request.tracking_number, reason=reason, description=text)
    return ppid_intake.submit_objection(data, received_at=at(days_ago)).ticket


def _front_desk(categories: dict, actors: dict) -> None:
    """The tickets that have no unit: PPID requests before disposition, objections, LAPOR triage, WBS, social."""
    # PPID requests (UU 14/2008 Pasal 22: 10 working days from receipt)
    submit_request(10, 0, "Daftar Informasi Publik tahun berjalan")
    _walk(submit_request(11, 1, "Rencana kerja dan anggaran tahun depan"), [("verify", "ppid", {})], actors)
    _walk(
        submit_request(12, 2, "Dokumen kerja sama dengan pemerintah daerah", channel="email"),
        [("request_completion", "ppid", {"note": "Mohon lampirkan salinan KTP pemohon."})],
        actors,
    )
    # Objections (Pasal 35–36: answered within 30 working days)
    _objection(13, 0, _rejected_request(13, 12, "Daftar gaji pejabat struktural", actors), "a", "Gaji adalah DIP.")
    _walk(
        _objection(14, 3, _rejected_request(14, 14, "Hasil evaluasi kinerja pegawai", actors), "a", "Bukan rahasia."),
        [("start_review", "atasan", {})],
        actors,
    )
    _walk(
        _objection(15, 10, _rejected_request(15, 20, "Berita acara pemeriksaan", actors), "a", "Mohon dibuka."),
        [
            ("start_review", "atasan", {}),
            ("answer", "atasan", {"decision": "rejected", "note": "Pengecualian dikuatkan oleh Atasan PPID."}),
        ],
        actors,
    )
    _walk(
        _objection(16, 12, _rejected_request(16, 24, "Notulen rapat pimpinan", actors), "a", "Sebagian dapat dibuka."),
        [
            ("answer", "atasan", {"decision": "upheld", "note": "Keberatan diterima; informasi diberikan sebagian."}),
            ("close", "atasan", {}),
        ],
        actors,
    )
    _walk(
        _objection(17, 4, submit_request(17, 8, "Laporan keuangan yang telah diaudit"), "b", "Belum diumumkan."),
        [("settle", "atasan", {"note": "Laporan keuangan diumumkan di laman DIP; pemohon menerima."})],
        actors,
    )
    # LAPOR before disposition (PermenPANRB 62/2018: verification within 3 working days)
    submit_report(20, 0, "Trotoar rusak di depan halte", "Paving terlepas.", categories["jalan-jembatan"])
    report = submit_report(21, 1, "Pungutan tanpa kuitansi", "Tanpa tanda terima.", categories["perizinan"])
    _walk(report, [("hold", "lapor", {"note": "Mohon sebutkan tanggal dan lokasi kejadian."})], actors)
    report = submit_report(22, 2, "Jadwal KRL terlambat", "Kereta sering terlambat.", categories["fasilitas-umum"])
    _walk(report, [("forward", "lapor", {"forwarded_to": "PT Kereta Commuter Indonesia"})], actors)
    report = submit_report(23, 3, "Tes", "Tes.", categories["pelayanan-publik"])
    _walk(report, [("archive", "lapor", {"note": "Laporan tidak memuat substansi."})], actors)
    report = submit_report(24, 1, "Antrean perizinan tidak tertib", "Nomor dilewati.", categories["perizinan"])
    _walk(report, [("verify", "lapor", {"classification": "pengaduan"})], actors)
    _wbs(actors)
    _social(actors)


WBS_STEPS: list[tuple[int, list[Step]]] = [
    (0, []),
    (2, [("acknowledge", "wbs", {})]),
    (4, [("acknowledge", "wbs", {}), ("request_info", "wbs", {"note": "Mohon uraikan waktu kejadian."})]),
    (6, [("acknowledge", "wbs", {}), ("escalate", "wbs", {})]),
    (9, [("acknowledge", "wbs", {}), ("escalate", "wbs", {}), ("special_audit", "wbs", {})]),
    (10, [("acknowledge", "wbs", {}), ("not_proven", "wbs", {"note": "Bukti tidak cukup."})]),
    (12, [("acknowledge", "wbs", {}), ("escalate", "wbs", {}), ("recommend", "wbs", {"note": "Sanksi disiplin."})]),
    (
        14,
        [
            ("acknowledge", "wbs", {}),
            ("escalate", "wbs", {}),
            ("recommend", "wbs", {"note": "Pengembalian kerugian."}),
            ("record_follow_up", "wbs", {"note": "Kerugian telah dikembalikan."}),
        ],
    ),
    (
        16,
        [
            ("acknowledge", "wbs", {}),
            ("escalate", "wbs", {}),
            ("special_audit", "wbs", {}),
            ("refer", "wbs", {"law_enforcement_body": "prosecutor"}),
        ],
    ),
    (
        20,
        [
            ("acknowledge", "wbs", {}),
            ("not_proven", "wbs", {"note": "Tidak terbukti."}),
            ("close", "wbs", {}),
        ],
    ),
]


def _wbs(actors: dict) -> None:
    """One WBS report per state (Permenko Marves 3/2022); acknowledgement due 7 calendar days after receipt."""
    for n, (days_ago, steps) in enumerate(WBS_STEPS):
        data = {
            "violation_type": "gratification",
            "what": f"Latihan {n + 1}: pemberian hadiah kepada pejabat pengadaan menjelang penetapan pemenang.",
            "where": "Bagian Pengadaan",
            "who": "Pejabat pengadaan",
        }
        ticket = submit_wbs_report(data, received_at=at(days_ago)).ticket
        _walk(ticket, steps, actors)


def _social(actors: dict) -> None:
    """Social-media messages: waiting for triage, triaged into LAPOR, dismissed."""
    texts = [
        (0, "Kapan jadwal pelayanan SIM keliling pekan ini?", []),
        (1, "Lampu jalan di Jl. Melati padam sudah seminggu, mohon ditindaklanjuti.", [("to_lapor", "sosmed", {})]),
        (1, "Promo pinjaman cepat, klik tautan ini!", [("dismiss", "sosmed", {"reason": "Spam."})]),
    ]
    for n, (days_ago, text, steps) in enumerate(texts):
        data = {
            "platform": "instagram",
            "account_handle": "@pesan.latihan",
            "message_id": f"training-{n + 1}",
            "author_handle": f"@warga{n + 1}",
            "text": text,
            "posted_at": at(days_ago, hour=9),
        }
        ticket = receive_social_message(data, registered_by=actors["sosmed"]).ticket
        for action, actor, inputs in steps:
            if action == "to_lapor":
                inputs = {"classification": "pengaduan"}
            apply_transition(ticket, action, actors[actor], **inputs)


def _unit_tickets(unit, categories: dict, actors: dict) -> None:
    """The tickets disposed to ``unit``: PPID requests assigned → closed (one extended, one overdue), LAPOR
    reports assigned → closed."""
    unit_actors = actors | {"operator": _unit_operator(unit)}
    assign = ("assign", "ppid", {"unit": unit.pk, "note": "Mohon disiapkan oleh unit."})
    decide = (
        "decide",
        "operator",
        {"outcome": "granted_full", "note": "Informasi diberikan seluruhnya.", "material_given": "Salinan PDF"},
    )
    requests: list[tuple[int, str, list[Step]]] = [
        (2, "Standar operasional prosedur layanan", [assign]),
        (4, "Data statistik layanan tahun lalu", [assign, ("start_processing", "operator", {})]),
        (16, "Laporan realisasi anggaran triwulan I", [assign, ("start_processing", "operator", {})]),
        (
            8,
            "Kontrak pengadaan alat kesehatan",
            [
                assign,
                ("start_processing", "operator", {}),
                ("extend", "ppid", {"reason": "Dokumen berada di beberapa satuan kerja dan perlu dihimpun."}),
            ],
        ),
        (6, "Notulen rapat koordinasi kebijakan", [assign, decide]),
        (9, "Peraturan internal tentang kepegawaian", [assign, decide, ("deliver", "operator", {"note": "Dikirim."})]),
        (
            15,
            "Daftar aset tetap",
            [assign, decide, ("deliver", "operator", {"note": "Dikirim."}), ("close", "ppid", {})],
        ),
    ]
    for n, (days_ago, info, steps) in enumerate(requests):
        _walk(submit_request(30 + n, days_ago, f"{info} ({unit.code})"), steps, unit_actors)
    verify_assign = [
        ("verify", "lapor", {"classification": "pengaduan"}),
        ("assign", "lapor", {"unit": unit.pk}),
    ]
    follow_up = ("follow_up", "operator", {"note": "Perbaikan dijadwalkan pekan ini."})
    reports: list[tuple[int, str, list[Step]]] = [
        (3, "Lampu penerangan jalan padam", verify_assign),
        (5, "Pengaduan pelayanan loket lambat", [*verify_assign, follow_up]),
        (7, "Saluran air tersumbat", [*verify_assign, follow_up, ("request_reply", "operator", {"note": "Sudah?"})]),
        (12, "Usul layanan konsultasi daring", [*verify_assign, follow_up, ("close", "lapor", {})]),
    ]
    for n, (days_ago, title, steps) in enumerate(reports):
        ticket = submit_report(40 + n, days_ago, f"{title} ({unit.code})", title + ".", categories["fasilitas-umum"])
        _walk(ticket, steps, unit_actors)


# --- the reset ----------------------------------------------------------------------------------------------------
def _clear() -> int:
    """Delete every ticket (objections first: they protect the requests they object to), every outbox row and
    the tracking counters; the stored files go after the commit. Returns the number of tickets deleted."""
    files = list(Attachment.objects.values_list("file", flat=True))
    count = Ticket.objects.count()
    Ticket.objects.filter(service="objection").delete()
    Ticket.objects.all().delete()
    OutboxTask.objects.all().delete()
    TrackingCounter.objects.all().delete()
    if files:
        transaction.on_commit(functools.partial(delete_files, [f for f in files if f]))
    return count


def reset(stdout=None, *, force: bool = False) -> TrainingSummary:
    """Reset the install to the training set (see the module docstring); one transaction, all or nothing.

    ``stdout``: where the demo logins are printed (a file-like object; default: nowhere). Raises
    :class:`TrainingRefused` when :func:`allowed` is false; ``TransitionError``/``ValidationError`` of the real
    service functions if the training set no longer fits them (nothing is changed then).
    """
    if not allowed(force):
        raise TrainingRefused(
            "Not a training install: set PESAN_TRAINING_MODE=True (or use --force on a DEBUG install)."
        )
    out = stdout if stdout is not None else _Null()
    summary = TrainingSummary()
    with transaction.atomic():
        summary.deleted = _clear()
        categories = ensure_categories()
        demo_users = ensure_users(ensure_units(), out)
        actors = {
            "ppid": demo_users["ppid.utama"],
            "atasan": demo_users["atasan.ppid"],
            "lapor": demo_users["admin.lapor"],
            "wbs": demo_users["inspektorat"],
            "sosmed": demo_users["admin.sosmed"],
        }
        _front_desk(categories, actors)
        for unit in Unit.objects.filter(active=True).order_by("sort_order", "code"):
            _unit_tickets(unit, categories, actors)
            summary.units.append(unit.code)
        for service in Ticket.objects.values_list("service", flat=True):
            summary.created[service] = summary.created.get(service, 0) + 1
    out.write(f"  training set: {sum(summary.created.values())} tickets ({timezone.localdate():%Y-%m-%d})")
    return summary


class _Null:
    def write(self, *_args) -> None:
        pass
