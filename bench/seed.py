"""Seed the benchmark database (PostgreSQL, default ``pesan_bench``) with five years of a busy PPID desk.

    .venv/bin/python bench/seed.py [--tickets 200000] [--news 2000] [--regulations 500] [--dip 300]
                                   [--reset] [--if-empty] [--years 5]

What it makes (on top of ``manage.py seed_demo``: site, home page, units, demo users and tickets):

- ``--tickets`` tickets over the last ``--years`` years (received_at uniform, WIB office hours mostly), across
  every service (PPID requests 45 %, SP4N-LAPOR 33 %, social media 10 %, objections 6 %, WBS 6 %) and every
  active unit; most closed, recent ones open and a few per cent overdue. Each ticket gets its detail row and
  2–6 timeline entries (the audit log; ≈4 on average) along the path its status implies.
  Tracking numbers come from ``layanan.core.numbering.format_tracking_number`` in receipt order per (prefix, WIB
  year) and the ``TrackingCounter`` rows are set to the last value, so live submissions continue the series.
  Due dates come from ``layanan.core.deadlines.refresh_due_date`` with the project's deadline rules and one
  ``WorkCalendar`` (holidays synced for the whole range first). Rows are written with ``bulk_create``: no
  per-row signals, no notifications.
- access tokens: every ticket's token is ``bench_token(tracking_number)`` (derived, so ``bench/run.py`` can
  look any ticket up without a token file); stored as ``layanan.core.crypto.hash_token`` like a real one.
- ``--news`` news pages, ``--regulations`` regulation pages, ``--dip`` public-information (DIP) pages, added
  with Wagtail's ``add_child`` (treebeard paths, search index entries by Wagtail's own signal handlers) and
  published without revisions. The time taken is printed (docs/performance.md reports it).
- the bench operator ``bench.operator`` (PPID Utama role) — ``bench/run.py`` logs in with a session it
  creates directly.

``--reset`` drops and recreates the database first; ``--if-empty`` does nothing when tickets already exist.
Prints one JSON line ``{"seed": {...}}`` with counts and timings at the end.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure() -> None:
    """Point Django at ``bench.settings`` (whose import sets the environment defaults, e.g. DATABASE_URL).

    Called by the ``main()`` of ``bench/seed.py`` and ``bench/run.py`` only: importing these modules (tests do)
    changes nothing in the environment."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import bench.settings  # noqa: F401


BATCH = 2000
BENCH_OPERATOR = "bench.operator"

SERVICE_SHARES = [("ppid_request", 45), ("lapor", 33), ("social", 10), ("objection", 6), ("wbs", 6)]

# The path a ticket of each service walks: (action, status reached). A ticket's timeline is a prefix of its path.
PATHS = {
    "ppid_request": [
        ("received", "received"),
        ("assign", "assigned"),
        ("start_processing", "in_process"),
        ("decide", "decided"),
        ("close", "closed"),
    ],
    "objection": [("received", "received"), ("start_review", "in_review"), ("answer", "answered"), ("close", "closed")],
    "lapor": [
        ("received", "received"),
        ("verify", "verified"),
        ("assign", "assigned"),
        ("follow_up", "followed_up"),
        ("close", "closed"),
    ],
    "wbs": [
        ("received", "received"),
        ("acknowledge", "initial_review"),
        ("escalate", "inspektorat_review"),
        ("recommend", "recommendation"),
        ("close", "closed"),
    ],
    "social": [("received", "received"), ("to_lapor", "triaged")],
}
ALT_ENDS = {"lapor": [("archive", "archived")], "social": [("dismiss", "dismissed")]}
DEADLINE_RULES = {
    "ppid_request": ("ppid", "answer"),
    "objection": ("objection", "answer"),
    "lapor": ("lapor", "verification"),
    "wbs": ("wbs", "acknowledge"),
    "social": ("social", "triage"),
}
ANSWER_ACTIONS = {"decide", "answer", "follow_up", "recommend"}
OUTCOMES = ["granted_full"] * 3 + ["granted_part", "rejected_exempt", "not_held"]
VIOLATIONS = ["state_financial_loss", "bribery", "gratification", "abuse_of_authority", "discipline_ethics"]
WORDS = (  # noqa: SIM905
    "anggaran realisasi kontrak pengadaan laporan kinerja data statistik pelabuhan kapal perikanan kelautan "
    "investasi pariwisata izin layanan jalan jembatan lampu antrean dokumen salinan notulen rapat kebijakan "
    "program bantuan sosial kepegawaian tender proyek wilayah pesisir pulau energi tambang lingkungan"
).split()
NAMES = "Siti Budi Andi Maria Yusuf Nur Dewi Agus Rina Hendra Sari Bambang Lina Joko Wati Putri Rizky".split()  # noqa: SIM905
SURNAMES = "Aminah Santoso Wijaya Ulfa Hakim Aini Lestari Pratama Wulandari Gunawan Kusuma Irawan".split()  # noqa: SIM905


def bench_token(tracking_number: str) -> str:
    """The access token of a seeded ticket (bench data only): 43 URL-safe characters derived from its number."""
    digest = hashlib.sha256(f"pesan-bench:{tracking_number}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _say(message: str) -> None:
    print(f"[seed {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# --- database -----------------------------------------------------------------------------------------------
def _db_params() -> dict:
    import dj_database_url

    return dj_database_url.parse(os.environ["DATABASE_URL"])


def _admin_connect():

    params = _db_params()
    if "postgresql" not in params["ENGINE"]:
        raise SystemExit("bench/seed.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    conninfo = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
        "autocommit": True,
    }
    return params["NAME"], {k: v for k, v in conninfo.items() if v is not None}


def ticket_count() -> int:
    """Tickets in the bench database (0 when it or its tables do not exist yet)."""
    import psycopg

    name, conninfo = _admin_connect()
    try:
        with psycopg.connect(dbname=name, **conninfo) as conn:
            return conn.execute("SELECT count(*) FROM layanan_ticket").fetchone()[0]
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return 0


def ensure_database(reset: bool) -> None:
    """Create the bench database when missing (drop it first with ``reset``); PostgreSQL only."""
    import psycopg

    name, conninfo = _admin_connect()
    with psycopg.connect(dbname="postgres", **conninfo) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            _say(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            _say(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


# --- tickets ------------------------------------------------------------------------------------------------
def _pick_service(rng: random.Random) -> str:
    roll = rng.uniform(0, 100)
    for service, share in SERVICE_SHARES:
        if roll < share:
            return service
        roll -= share
    return SERVICE_SHARES[0][0]


def _received_times(rng: random.Random, count: int, years: int, now: datetime.datetime) -> list[datetime.datetime]:
    """``count`` aware datetimes over the last ``years`` years, sorted; ~85 % in WIB office hours on weekdays."""
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    start = now - datetime.timedelta(days=365 * years)
    span = (now - start).total_seconds()
    times = []
    for _ in range(count):
        moment = (start + datetime.timedelta(seconds=rng.uniform(0, span))).astimezone(wib)
        if rng.random() < 0.85:
            day = moment.date()
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
            moment = datetime.datetime.combine(day, datetime.time(8 + rng.randrange(8), rng.randrange(60)), wib)
        times.append(min(moment, now))
    times.sort()
    return times


def _status_index(rng: random.Random, service: str, age_days: float, path_len: int) -> int:
    """How far along its path a ticket of ``age_days`` is (index into the path; last = closed/final)."""
    last = path_len - 1
    if age_days > 90:
        # Old tickets: nearly all closed; a few forgotten ones stay open (overdue for years).
        return last if rng.random() < 0.985 else rng.randrange(last)
    if age_days > 20:
        return last if rng.random() < 0.75 else rng.randrange(last)
    if age_days > 5:
        return rng.randrange(path_len)
    return rng.randrange(min(2, path_len))


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def seed_tickets(count: int, years: int, rng: random.Random) -> dict:
    """Bulk-create ``count`` tickets with details and timelines; returns counts."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from home.models import Unit
    from layanan.calendar.conf import get_deadline_rule
    from layanan.calendar.sync import sync_holidays
    from layanan.calendar.workdays import WorkCalendar
    from layanan.core.crypto import encrypt, hash_token, keyed_hash
    from layanan.core.deadlines import refresh_due_date
    from layanan.core.models.tickets import Ticket, TimelineEntry, TrackingCounter
    from layanan.core.numbering import format_tracking_number, prefixes
    from layanan.lapor.models import LaporCategory, LaporDetails
    from layanan.ppid.models import ObjectionDetails, PPIDRequestDetails
    from layanan.social.models import SocialMessageDetails
    from layanan.wbs.models import WbsReportDetails

    now = timezone.now()
    first_year = timezone.localtime(now).year - years
    _say(f"syncing holidays {first_year}..{first_year + years + 1}")
    sync_holidays(range(first_year, first_year + years + 2))
    calendar = WorkCalendar.load()
    calendar.preload(datetime.date(first_year - 1, 1, 1), datetime.date(first_year + years + 1, 12, 31))
    units = list(Unit.objects.filter(active=True).order_by("pk"))
    categories = list(LaporCategory.objects.order_by("pk"))
    officer = get_user_model().objects.get(username=BENCH_OPERATOR)
    rules = {service: get_deadline_rule(*rule) for service, rule in DEADLINE_RULES.items()}
    counters = {(c.prefix, c.year): c.last_value for c in TrackingCounter.objects.all()}
    ppid_pks: list[int] = []
    fernet_cache: dict[str, str] = {}

    def sealed(value: str) -> str:
        # One ciphertext per distinct value keeps the seed fast; decryption works the same.
        if value not in fernet_cache:
            fernet_cache[value] = encrypt(value)
        return fernet_cache[value]

    times = _received_times(rng, count, years, now)
    made = {"tickets": 0, "timeline": 0, "details": 0, "open": 0, "overdue": 0}
    by_service: dict[str, int] = {}
    t0 = time.monotonic()
    for chunk_start in range(0, count, BATCH):
        chunk = times[chunk_start : chunk_start + BATCH]
        tickets, plans = [], []
        for received_at in chunk:
            service = _pick_service(rng)
            if service == "objection" and not ppid_pks:
                service = "ppid_request"
            path = list(PATHS[service])
            if service in ALT_ENDS and rng.random() < 0.15:
                path = path[:1] + ALT_ENDS[service]
            age = (now - received_at).total_seconds() / 86400
            reached = _status_index(rng, service, age, len(path))
            steps = path[: reached + 1]
            status = steps[-1][1]
            local = timezone.localtime(received_at)
            prefix = prefixes()[service]
            key = (prefix, local.year)
            counters[key] = counters.get(key, 0) + 1
            number = format_tracking_number(prefix, local.year, counters[key])
            first, last = rng.choice(NAMES), rng.choice(SURNAMES)
            identity = service != "wbs"
            nik = f"3171{rng.randrange(10**12):012d}" if identity and service != "social" else ""
            rule = rules[service]
            ticket = Ticket(
                tracking_number=number,
                service=service,
                status=status,
                channel=rng.choice(["web", "web", "web", "api", "email", "walk_in"])
                if service != "social"
                else "social_media",
                received_at=received_at,
                subject=_text(rng, 6).capitalize(),
                description=_text(rng, 40),
                applicant_name=f"{first} {last}" if identity else "",
                applicant_email=f"{first.lower()}.{last.lower()}{rng.randrange(1000)}@contoh.invalid"
                if identity
                else "",
                applicant_phone=f"0812{rng.randrange(10**8):08d}" if identity else "",
                applicant_nik=nik,  # encrypted by the field on insert
                applicant_nik_hash=keyed_hash(nik) if nik else "",
                access_token_hash=hash_token(bench_token(number)),
                unit=rng.choice(units) if reached >= 2 and service in ("ppid_request", "lapor") else None,
                deadline_rule=rule.key,
                deadline_start=received_at,
                deadline_days=rule.days,
                deadline_unit=rule.unit,
                deadline_legal_source=rule.legal_source,
            )
            refresh_due_date(ticket, calendar)
            step_at = [received_at]
            for _ in steps[1:]:
                step_at.append(min(step_at[-1] + datetime.timedelta(hours=rng.uniform(2, 72)), now))
            final = ticket.machine.state(status).final
            if final:
                ticket.closed_at = step_at[-1]
            answered = [i for i, (action, _) in enumerate(steps) if action in ANSWER_ACTIONS]
            if answered:
                ticket.responded_at = step_at[answered[0]]
            if ticket.clock_running:
                made["open"] += 1
                if ticket.due_date and ticket.due_date < now.date():
                    made["overdue"] += 1
            tickets.append(ticket)
            plans.append((steps, step_at))
            by_service[service] = by_service.get(service, 0) + 1
        with transaction.atomic():
            # Ticket's created_at/updated_at are auto_now(_add): bulk_create sets them to "now", as a migration would.
            Ticket.objects.bulk_create(tickets, batch_size=BATCH)
            details = {"ppid_request": [], "objection": [], "lapor": [], "wbs": [], "social": []}
            entries = []
            for ticket, (steps, step_at) in zip(tickets, plans, strict=True):
                service = ticket.service
                confidential = service == "wbs"
                actions = [a for a, _ in steps]
                for index, ((action, to_status), at) in enumerate(zip(steps, step_at, strict=True)):
                    if action == "received":
                        channel = ticket.get_channel_display()
                        note = f"Diterima melalui {channel}. Nomor registrasi {ticket.tracking_number}."
                    else:
                        note = _text(rng, 12).capitalize() + "."
                    entries.append(
                        TimelineEntry(
                            ticket=ticket,
                            at=at,
                            actor=None if action == "received" else officer,
                            actor_kind="applicant" if action == "received" else "user",
                            action=action,
                            from_status="" if index == 0 else steps[index - 1][1],
                            to_status=to_status,
                            note="" if confidential else note,
                            note_sealed=sealed(note) if confidential else "",
                            visible_to_applicant=action == "received" or action in ANSWER_ACTIONS or action == "close",
                            data={"channel": ticket.channel, "due_date": str(ticket.due_date)}
                            if action == "received"
                            else {},
                        )
                    )
                if rng.random() < 0.15 and not confidential:  # an internal note now and then
                    entries.append(
                        TimelineEntry(
                            ticket=ticket,
                            at=step_at[-1],
                            actor=officer,
                            actor_kind="user",
                            action="note",
                            note=_text(rng, 10),
                        )
                    )
                if service == "ppid_request":
                    decided = "decide" in actions
                    outcome = (
                        rng.choice(["granted_full"] * 3 + ["granted_part", "rejected_exempt", "not_held"])
                        if decided
                        else ""
                    )
                    details[service].append(
                        PPIDRequestDetails(
                            ticket=ticket,
                            address=sealed("Jl. Contoh No. 1, Jakarta"),
                            information_requested=ticket.description,
                            purpose="Penelitian",
                            obtain_method="soft_copy",
                            delivery_method="email",
                            outcome=outcome,
                            exemption_ground=rng.choice("abcdefghij") if outcome == "rejected_exempt" else "",
                            outcome_reason=_text(rng, 8) if outcome else "",
                            decided_at=step_at[actions.index("decide")] if decided else None,
                        )
                    )
                elif service == "objection":
                    answered = "answer" in actions
                    details[service].append(
                        ObjectionDetails(
                            ticket=ticket,
                            request_id=rng.choice(ppid_pks),
                            reason=rng.choice("abcdefg"),
                            window_start=ticket.counting_from,
                            window_last_date=ticket.due_date,
                            decision=rng.choice(["upheld", "rejected"]) if answered else "",
                            answered_at=step_at[actions.index("answer")] if answered else None,
                        )
                    )
                elif service == "lapor":
                    details[service].append(
                        LaporDetails(
                            ticket=ticket,
                            classification=rng.choice(["pengaduan", "pengaduan", "aspirasi", "permintaan_informasi"]),
                            category=rng.choice(categories) if categories else None,
                            location=_text(rng, 3),
                            anonymous=rng.random() < 0.1,
                            verified_at=step_at[actions.index("verify")] if "verify" in actions else None,
                        )
                    )
                elif service == "wbs":
                    details[service].append(
                        WbsReportDetails(
                            ticket=ticket,
                            violation_type=rng.choice(
                                [
                                    "state_financial_loss",
                                    "bribery",
                                    "gratification",
                                    "abuse_of_authority",
                                    "discipline_ethics",
                                ]
                            ),
                            what=sealed(_text(rng, 6)),
                        )
                    )
                else:
                    details[service].append(
                        SocialMessageDetails(
                            ticket=ticket,
                            platform=rng.choice(["instagram", "x", "facebook"]),
                            author_handle=f"@{ticket.applicant_name.split()[0].lower()}",
                            posted_at=ticket.received_at,
                            outcome="dismissed"
                            if ticket.status == "dismissed"
                            else ("lapor" if ticket.status == "triaged" else ""),
                        )
                    )
            with _raw_encrypted():
                TimelineEntry.objects.bulk_create(entries, batch_size=BATCH)
                for model_rows in details.values():
                    if model_rows:
                        type(model_rows[0]).objects.bulk_create(model_rows, batch_size=BATCH)
            ppid_pks.extend(t.pk for t in tickets if t.service == "ppid_request")
            made["timeline"] += len(entries)
            made["details"] += sum(len(v) for v in details.values())
        made["tickets"] += len(tickets)
        rate = made["tickets"] / max(time.monotonic() - t0, 1e-6)
        _say(f"tickets {made['tickets']:,}/{count:,} ({rate:,.0f}/s), timeline {made['timeline']:,}")
    with transaction.atomic():
        for (prefix, year), value in counters.items():
            TrackingCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"last_value": value})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    made["by_service"] = by_service
    made["seconds"] = round(time.monotonic() - t0, 1)
    return made


class _raw_encrypted:
    """Inside the block, ``EncryptedTextField`` stores values as given (they are ciphertext already).

    Tickets go through the normal path (each NIK is encrypted by the field); for the timeline and WBS detail
    rows the seed encrypts each distinct value once (:func:`seed_tickets`' ``sealed``) and passes it through.
    """

    def __enter__(self):
        from layanan.core.crypto import EncryptedTextField

        self._orig = EncryptedTextField.get_prep_value
        EncryptedTextField.get_prep_value = lambda field, value: value
        return self

    def __exit__(self, *exc):
        from layanan.core.crypto import EncryptedTextField

        EncryptedTextField.get_prep_value = self._orig
        return False


# --- pages --------------------------------------------------------------------------------------------------
def _live(page, when):
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = when
    return page


def seed_pages(news: int, regulations: int, dip: int, rng: random.Random) -> dict:
    """Add news, regulation and DIP pages with ``add_child``; returns counts and seconds per kind."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from wagtail.rich_text import RichText

    from berita.models import NewsCategory, NewsIndexPage, NewsPage
    from home.models import PublicInformationIndexPage, PublicInformationPage, Unit
    from regulasi.models import RegulationIndexPage, RegulationKind, RegulationPage, RegulationStatus

    now = timezone.now()
    out: dict = {}

    news_index = NewsIndexPage.objects.first()
    have = NewsPage.objects.count()
    categories = list(NewsCategory.objects.all())
    t0 = time.monotonic()
    for i in range(have, news):
        when = now - datetime.timedelta(days=rng.uniform(0, 5 * 365))
        title = f"{_text(rng, 7).capitalize()} ({i})"
        page = NewsPage(
            title=title,
            slug=slugify(title)[:60] + f"-{i}",
            date=when,
            lead=_text(rng, 25).capitalize() + ".",
            body=[("paragraph", RichText(f"<p>{_text(rng, 80)}.</p>")) for _ in range(4)],
            source_name="Biro Komunikasi",
        )
        if categories:
            page.categories = rng.sample(categories, k=min(2, len(categories)))
        with transaction.atomic():
            news_index.add_child(instance=_live(page, when))
            page.tags.add(*rng.sample(WORDS, 3))
        if (i + 1) % 500 == 0:
            _say(f"news pages {i + 1:,}/{news:,} ({(i + 1 - have) / (time.monotonic() - t0):.1f}/s)")
    out["news"] = {"count": NewsPage.objects.count(), "seconds": round(time.monotonic() - t0, 1)}

    reg_index = RegulationIndexPage.objects.first()
    have = RegulationPage.objects.count()
    kinds = list(RegulationKind.values)
    t0 = time.monotonic()
    for i in range(have, regulations):
        year = rng.randrange(1990, now.year + 1)
        kind = rng.choice(kinds)
        about = _text(rng, 6)
        page = RegulationPage(
            title=f"{RegulationKind(kind).label} Nomor {i + 1} Tahun {year} tentang {about}",
            slug=f"{kind}-{i + 1}-{year}-bench",
            kind=kind,
            number=str(i + 1),
            year=year,
            about=about,
            issued_on=datetime.date(year, rng.randrange(1, 13), rng.randrange(1, 28)),
            status=rng.choice([RegulationStatus.IN_FORCE] * 4 + [RegulationStatus.AMENDED]),
        )
        with transaction.atomic():
            reg_index.add_child(instance=_live(page, now))
            page.subjects.add(*rng.sample(WORDS, 2))
    out["regulations"] = {"count": RegulationPage.objects.count(), "seconds": round(time.monotonic() - t0, 1)}

    dip_index = PublicInformationIndexPage.objects.first()
    have = PublicInformationPage.objects.count()
    units = list(Unit.objects.filter(active=True))
    t0 = time.monotonic()
    for i in range(have, dip):
        title = f"{_text(rng, 5).capitalize()} {i}"
        klass = rng.choice(["berkala", "berkala", "serta_merta", "setiap_saat"])
        page = PublicInformationPage(
            title=title,
            slug=f"dip-bench-{i}",
            information_class=klass,
            summary=_text(rng, 20),
            unit=rng.choice(units),
            person_responsible="Kepala Biro Komunikasi",
            made_when=str(rng.randrange(2020, now.year + 1)),
            made_where="Jakarta",
            information_format="soft",
            retention_period="5 tahun",
            year=rng.randrange(2020, now.year + 1),
        )
        with transaction.atomic():
            dip_index.add_child(instance=_live(page, now))
    out["dip"] = {"count": PublicInformationPage.objects.count(), "seconds": round(time.monotonic() - t0, 1)}
    return out


def vacuum() -> None:
    """``VACUUM ANALYZE`` the whole database: what autovacuum does to a database that has been running (a freshly
    bulk-loaded one reads every row's heap page in index-only scans — the public lists' counts took 2–3× longer)."""
    from django.db import connection

    _say("vacuum analyze")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def ensure_operator() -> None:
    """The bench operator: PPID Utama (sees every PPID request), staff, unusable password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from layanan.core.access import ensure_role_groups

    ensure_role_groups()
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_OPERATOR, defaults={"is_staff": True, "first_name": "Bench", "last_name": "Operator"}
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(*Group.objects.filter(name="PPID Utama"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--news", type=int, default=2_000)
    parser.add_argument("--regulations", type=int, default=500)
    parser.add_argument("--dip", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260609, help="random seed (same data every run)")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already holds --tickets tickets; reseed (reset) when it holds fewer",
    )
    args = parser.parse_args(argv)

    configure()
    started = time.monotonic()
    reset = args.reset
    if args.if_empty:
        existing = ticket_count()
        if existing >= args.tickets:
            _say(f"database holds {existing:,} tickets already; not seeding (BENCH_RESEED=1 or --reset to redo)")
            return 0
        if existing:
            _say(f"database holds {existing:,} tickets, fewer than {args.tickets:,}: reseeding from scratch")
            reset = True
    ensure_database(reset)
    import django

    django.setup()
    from django.core.management import call_command

    _say("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    _say("seed_demo (site, units, demo users)")
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    ensure_operator()
    rng = random.Random(args.seed)
    result = {"tickets": seed_tickets(args.tickets, args.years, rng)}
    result["pages"] = seed_pages(args.news, args.regulations, args.dip, rng)
    vacuum()
    result["total_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps({"seed": result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
