"""The documents the information law requires (issue 17): the PPID's written notice (UU 14/2008 Pasal 22(7)) and
refusal decision (Perki 1/2021), the Atasan PPID's answer to an objection (Pasal 36(2), 37) — issued, numbered
and stored by their steps, read back from the PDF with pypdf field by field, offered to the citizen and the desk —
and the numbering rule of documents.

Dates are hand-computed in the comments (working days skip weekends and the synced national holidays; April,
October and November 2026 have none in the periods used). Expected words are computed in the site's default
language, as the documents are (so the tests hold once the Indonesian translations land).
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader
from wagtail.models import Site

from home.models import OrganisationSettings
from layanan.core.models.documents import IssuedDocument
from layanan.core.models.tickets import Ticket
from layanan.core.numbering import next_document_number
from layanan.core.printable import format_date, format_rupiah
from layanan.core.workflow import TransitionError, apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.ppid.documents import DECISIONS, FOLLOW_UP
from layanan.ppid.models import EXEMPTION_GROUNDS, OBJECTION_REASONS, ObjectionDetails, PPIDRequestDetails
from tests.layanan.conftest import PDF_BYTES, ppid_payload, wib

pytestmark = pytest.mark.django_db

Outcome = PPIDRequestDetails.Outcome
ORG = "Kementerian Contoh Terbuka"


@pytest.fixture(autouse=True)
def default_language():
    """The documents are written in the site's default language: compute the expected words in it too."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def organisation(db):
    org = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    org.name, org.address, org.phone = ORG, "Jl. Medan Merdeka Barat No. 9\nJakarta Pusat", "021-555-0199"
    org.save()
    return org


@pytest.fixture
def officers(desk_users):
    """The PPID Utama and the Atasan PPID, with the names the documents are signed with."""
    ppid, atasan = desk_users["ppid"], desk_users["atasan"]
    ppid.first_name, ppid.last_name = "Rina", "Kusuma"
    ppid.save()
    atasan.first_name, atasan.last_name = "Bambang", "Hartono"
    atasan.save()
    return ppid, atasan


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(content: bytes) -> str:
    """All pages' text as pypdf extracts it, white space runs collapsed to one space."""
    return collapse(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def assert_fields(text: str, fields) -> None:
    """Each ``(label, value)`` is printed as a field: the label, then its value right after it."""
    for label, value in fields:
        label, value = collapse(str(label)), collapse(str(value))
        assert f"{label} {value}" in text, f"{label!r} → {value!r} not in the document:\n{text}"


def stored_pdf(record: IssuedDocument) -> bytes:
    with record.attachment.file.open("rb") as handle:
        return handle.read()


def _request(frozen_now, moment, **payload):
    frozen_now(moment)
    return ppid_intake.submit_ppid_request(ppid_payload(**payload), received_at=moment)


def _step(frozen_now, moment, ticket, action, user, **data):
    frozen_now(moment)
    return apply_transition(ticket, action, user, **data)


# --- the written notice -----------------------------------------------------------------------------------------
@pytest.fixture
def partial_grant(settled_holidays, officers, frozen_now):
    """Received Mon 6 Apr 2026 09:00 WIB, verified on the 7th, granted in part on Mon 13 Apr 2026 10:00 WIB with
    every part of the written notice filled in and the officer's file attached."""
    ppid, _atasan = officers
    submission = _request(frozen_now, wib(2026, 4, 6, 9, 0))
    ticket = _step(frozen_now, wib(2026, 4, 7, 9, 0), submission.ticket, "verify", ppid)
    ticket = _step(
        frozen_now,
        wib(2026, 4, 13, 10, 0),
        ticket,
        "decide",
        ppid,
        outcome="granted_part",
        exemption_ground="h",
        outcome_reason="Nomor rekening pribadi penerima dihitamkan: data pribadi.",
        public_interest="Melindungi penerima lebih besar manfaatnya daripada membukanya.",
        material_given="Laporan realisasi anggaran 2025, 12 halaman.",
        information_format="soft_copy",
        notice_delivery="email",
        cost="15000",
        payment_method="Transfer ke rekening PNBP 123-456 sebelum 20 April 2026.",
        time_needed_days="5",
        note="Pemberitahuan tertulis terlampir.",
        files=[SimpleUploadedFile("lampiran-lra.pdf", PDF_BYTES, content_type="application/pdf")],
    )
    return submission, ticket


def test_partial_grant_issues_a_numbered_notice_holding_every_element(partial_grant, officers):
    submission, ticket = partial_grant
    decided = ticket.timeline.get(action="decide")
    [notice] = IssuedDocument.objects.filter(ticket=ticket)
    # The first written notice of 2026 (WIB year of the step): sequence 1 of the kind's prefix.
    assert notice.number == "0001/PPID-PT/2026" and notice.kind == "ppid_notice"
    assert notice.timeline_entry == decided and notice.issued_at == wib(2026, 4, 13, 10, 0)
    attachment = notice.attachment
    assert attachment.visible_to_applicant and attachment.timeline_entry == decided
    assert attachment.original_name == "pemberitahuan-tertulis-0001-PPID-PT-2026.pdf"
    assert attachment.content_type == "application/pdf"

    text = pdf_text(stored_pdf(notice))
    assert ORG in text and _("Written notice").upper() in text
    assert _("Number: %(number)s") % {"number": "0001/PPID-PT/2026"} in text
    # Time needed: 5 WD from the notice (day 0 Mon 13 Apr): 14, 15, 16, 17, 20 April → Mon 20 April 2026.
    by = format_date(datetime.date(2026, 4, 20))
    assert "20/04/2026" in by
    assert_fields(
        text,
        [
            (_("Registration number"), ticket.tracking_number),
            (_("Applicant"), "Siti Aminah"),
            (_("Address"), "Jl. Merdeka No. 1, Jakarta Pusat"),
            (_("Phone / e-mail"), "081234567890 / siti@example.org"),
            (_("Information requested"), "Salinan laporan realisasi anggaran 2025"),
            (_("Purpose of use"), "Penelitian kebijakan fiskal"),
            # (a) held or not
            (_("Information held by this body"), _("Yes: the information is held by %(body)s.") % {"body": ORG}),
            # (c) accepted in part, with the Pasal 17 ground of the parts withheld
            (_("Decision"), DECISIONS[Outcome.GRANTED_PART]),
            (
                _("Exemption ground (Pasal 17)"),
                _("%(law)s Pasal 17 letter %(letter)s — %(label)s")
                % {"law": "UU 14/2008", "letter": "h", "label": EXEMPTION_GROUNDS.H.label},
            ),
            # (d) the material given, with the files given with the notice
            (_("Information material given"), "Laporan realisasi anggaran 2025, 12 halaman."),
            # (e) the parts blacked out, with the reasons
            (_("Parts blacked out and why"), "Nomor rekening pribadi penerima dihitamkan: data pribadi."),
            (_("Public-interest weighing"), "Melindungi penerima lebih besar manfaatnya daripada membukanya."),
            # (f) format and means of delivery
            (_("Format"), PPIDRequestDetails.ObtainMethod.SOFT_COPY.label),
            (_("Means of delivery"), PPIDRequestDetails.DeliveryMethod.EMAIL.label),
            # (g) cost and how to pay
            (_("Cost"), "Rp 15.000"),
            (_("How to pay"), "Transfer ke rekening PNBP 123-456 sebelum 20 April 2026."),
            (
                _("Time needed to provide it"),
                _("%(period)s (by %(date)s)")
                % {"period": ngettext("%(days)d working day", "%(days)d working days", 5) % {"days": 5}, "date": by},
            ),
        ],
    )
    assert _("Files given with this notice: %(files)s") % {"files": "lampiran-lra.pdf"} in text
    # signed by the office and the officer who decided; the objection right
    assert _("Information and Documentation Management Officer (PPID)") in text and "Rina Kusuma" in text
    assert "30" in text and "UU 14/2008 Pasal 35–36" in text
    # never the NIK, in full or masked
    assert "3171234567890001" not in text.replace(" ", "") and submission.access_token not in text

    details = PPIDRequestDetails.objects.get(pk=ticket.pk)
    assert (details.information_format, details.notice_delivery, details.time_needed_days) == ("soft_copy", "email", 5)
    assert details.exemption_ground == "h" and format_rupiah(details.cost) == "Rp 15.000"


def test_notice_defaults_format_and_delivery_to_what_the_applicant_asked(settled_holidays, officers, frozen_now):
    ppid, _atasan = officers
    submission = _request(frozen_now, wib(2026, 4, 6, 9, 0), obtain_method="hard_copy", delivery_method="post")
    ticket = _step(
        frozen_now, wib(2026, 4, 8, 9, 0), submission.ticket, "decide", ppid, outcome="granted_full", note="x"
    )
    details = ticket.ppid
    assert (details.information_format, details.notice_delivery) == ("hard_copy", "post")
    text = pdf_text(stored_pdf(IssuedDocument.objects.get(ticket=ticket)))
    assert_fields(
        text,
        [
            (_("Decision"), DECISIONS[Outcome.GRANTED_FULL]),
            (_("Information material given"), "Salinan laporan realisasi anggaran 2025"),  # as requested
            (_("Format"), PPIDRequestDetails.ObtainMethod.HARD_COPY.label),
            (_("Means of delivery"), PPIDRequestDetails.DeliveryMethod.POST.label),
            (_("Cost"), _("Free of charge (Rp 0)")),
        ],
    )


def test_not_held_notice_names_the_body_that_holds_it_and_the_forwarding(settled_holidays, officers, frozen_now):
    ppid, _atasan = officers
    submission = _request(frozen_now, wib(2026, 4, 6, 9, 0))
    ticket = _step(
        frozen_now,
        wib(2026, 4, 9, 9, 0),
        submission.ticket,
        "decide",
        ppid,
        outcome="not_held",
        holding_body="Kementerian Keuangan",
        forwarded_to_holder="on",
        note="Informasi dikuasai Kementerian Keuangan.",
    )
    assert ticket.ppid.forwarded_to_holder
    text = pdf_text(stored_pdf(IssuedDocument.objects.get(ticket=ticket)))
    assert_fields(
        text,
        [
            (_("Information held by this body"), _("No: the information is not held by %(body)s.") % {"body": ORG}),
            (_("Body that holds the information"), "Kementerian Keuangan"),
            (
                _("Request forwarded to that body"),
                _("Yes: at your request, your request was forwarded to %(body)s.") % {"body": "Kementerian Keuangan"},
            ),
            (_("Decision"), DECISIONS[Outcome.NOT_HELD]),
        ],
    )
    # nothing is given: no material, format or cost is promised
    assert _("Information material given") not in text and _("How to pay") not in text


# --- the refusal decision ---------------------------------------------------------------------------------------
@pytest.fixture
def refusal(settled_holidays, officers, frozen_now):
    """Received Mon 5 Oct 2026 09:00 WIB, refused on Fri 9 Oct 2026 10:00 WIB under ground j."""
    ppid, _atasan = officers
    submission = _request(frozen_now, wib(2026, 10, 5, 9, 0))
    ticket = _step(
        frozen_now,
        wib(2026, 10, 9, 10, 0),
        submission.ticket,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="j",
        exemption_statute="UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 65",
        outcome_reason="Membuka data penerima bantuan mengungkap data pribadi 2.000 orang.",
        public_interest="Kepentingan umum tidak lebih besar daripada perlindungan data pribadi.",
        note="Permohonan Anda ditolak; surat keputusan terlampir.",
    )
    return submission, ticket


def test_refusal_issues_the_refusal_decision_in_the_perki_shape_and_the_notice_cites_it(refusal):
    submission, ticket = refusal
    documents = {d.kind: d for d in IssuedDocument.objects.filter(ticket=ticket)}
    assert set(documents) == {"ppid_refusal", "ppid_notice"}
    decision, notice = documents["ppid_refusal"], documents["ppid_notice"]
    # each kind has its own sequence: both are number 1 of 2026
    assert (decision.number, notice.number) == ("0001/PPID-SKP/2026", "0001/PPID-PT/2026")
    assert decision.attachment.visible_to_applicant and decision.timeline_entry == notice.timeline_entry

    ground = (
        _("%(law)s Pasal 17 letter %(letter)s — %(label)s")
        % {"law": "UU 14/2008", "letter": "j", "label": EXEMPTION_GROUNDS.J.label}
        + " UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 65"
    )
    text = pdf_text(stored_pdf(decision))
    assert _("Decision of the PPID on the refusal of a request for information").upper() in text
    assert _("Number: %(number)s") % {"number": "0001/PPID-SKP/2026"} in text
    assert_fields(
        text,
        [
            (_("Registration number"), ticket.tracking_number),
            (_("Applicant"), "Siti Aminah"),
            (_("Address"), "Jl. Merdeka No. 1, Jakarta Pusat"),
            (_("Information requested"), "Salinan laporan realisasi anggaran 2025"),
            (_("Purpose of use"), "Penelitian kebijakan fiskal"),
            (_("The PPID decides that the information requested is"), _("EXEMPT INFORMATION")),
            (_("Exemption based on"), ground),
            (
                _("Disclosing the information may have these consequences"),
                "Membuka data penerima bantuan mengungkap data pribadi 2.000 orang.",
            ),
            (_("Public-interest weighing"), "Kepentingan umum tidak lebih besar daripada perlindungan data pribadi."),
        ],
    )
    assert _("Therefore the PPID declares: THE REQUEST FOR INFORMATION IS REFUSED.") in text
    assert "UU 14/2008 Pasal 35(1)(a)" in text  # the objection right, 30 working days
    assert _("Information and Documentation Management Officer (PPID)") in text and "Rina Kusuma" in text

    text = pdf_text(stored_pdf(notice))
    assert_fields(
        text,
        [
            (_("Decision"), DECISIONS[Outcome.REJECTED_EXEMPT]),
            (_("Exemption ground (Pasal 17)"), ground),
            (_("Consequence test: harm of disclosure"), "Membuka data penerima bantuan mengungkap data pribadi"),
            (_("Refusal decision"), "0001/PPID-SKP/2026"),
        ],
    )


def test_ground_j_needs_its_statute_and_a_refused_step_issues_nothing(settled_holidays, officers, frozen_now):
    ppid, _atasan = officers
    submission = _request(frozen_now, wib(2026, 10, 5, 9, 0))
    with pytest.raises(TransitionError) as exc:
        apply_transition(
            submission.ticket,
            "decide",
            ppid,
            outcome="rejected_exempt",
            exemption_ground="j",
            outcome_reason="x",
            note="x",
        )
    assert set(exc.value.errors) == {"exemption_statute"}
    assert not IssuedDocument.objects.exists() and not Ticket.objects.get(pk=submission.ticket.pk).attachments.exists()
    # the numbers were not used up: the next refusal is still number 1
    ticket = apply_transition(
        submission.ticket,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Data pribadi.",
        note="Ditolak.",
    )
    assert {d.number for d in ticket.documents.all()} == {"0001/PPID-SKP/2026", "0001/PPID-PT/2026"}


# --- the answer to an objection ---------------------------------------------------------------------------------
def test_objection_answer_states_the_decision_its_ground_what_follows_and_the_komisi_informasi_date(
    refusal, officers, frozen_now
):
    submission, request = refusal
    _ppid, atasan = officers
    frozen_now(wib(2026, 10, 19, 9, 0))
    objection = ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": "a",
            "description": "Data agregat tidak memuat data pribadi.",
            "name": "Siti Aminah",
            "nik": "3171234567890001",
            "email": "siti@example.org",
        },
        received_at=wib(2026, 10, 19, 9, 0),
    ).ticket
    answered = _step(
        frozen_now,
        wib(2026, 11, 2, 10, 0),
        objection,
        "answer",
        atasan,
        decision="rejected",
        answer_ground="Data yang diminta memuat nama dan NIK penerima, bukan data agregat.",
        follow_up="Keputusan PPID nomor 0001/PPID-SKP/2026 tetap berlaku.",
        note="Tanggapan atas keberatan terlampir.",
    )
    details = ObjectionDetails.objects.get(pk=answered.pk)
    # Komisi Informasi: 14 WD after the answer (Pasal 37(2)); day 0 Mon 2 Nov 2026, no holiday in November:
    # 3–6 Nov (4), 9–13 (9), 16–20 (14) → Friday 20 November 2026.
    assert details.komisi_informasi_deadline == datetime.date(2026, 11, 20)
    [answer] = IssuedDocument.objects.filter(ticket=answered)
    assert answer.number == "0001/PPID-TK/2026" and answer.kind == "objection_answer"
    assert answer.attachment.visible_to_applicant and answer.timeline_entry == answered.timeline.get(action="answer")

    text = pdf_text(stored_pdf(answer))
    assert _("Answer to an objection").upper() in text
    assert_fields(
        text,
        [
            (_("Objection number"), answered.tracking_number),
            (_("Applicant"), "Siti Aminah"),
            (_("Request objected to"), request.tracking_number),
            (_("Information requested"), "Salinan laporan realisasi anggaran 2025"),
            (_("Reason for the objection (Pasal 35(1))"), OBJECTION_REASONS.A.label),
            (_("The objection as filed"), "Data agregat tidak memuat data pribadi."),
            (_("Decision"), ObjectionDetails.Decision.REJECTED.label),
            (_("Ground"), "Data yang diminta memuat nama dan NIK penerima, bukan data agregat."),
            (_("What follows"), "Keputusan PPID nomor 0001/PPID-SKP/2026 tetap berlaku."),
            (_("Last day to file with the Komisi Informasi"), format_date(datetime.date(2026, 11, 20))),
        ],
    )
    assert "20/11/2026" in text and "UU 14/2008 Pasal 37(2)" in text and "Perki 1/2013 Pasal 13" in text
    assert _("Superior of the PPID (Atasan PPID)") in text and "Bambang Hartono" in text


def test_objection_answer_without_a_ground_prints_the_message_and_what_the_decision_means(
    refusal, officers, frozen_now
):
    _submission, request = refusal
    _ppid, atasan = officers
    frozen_now(wib(2026, 10, 19, 9, 0))
    objection = ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": "a",
            "description": "x",
            "name": "Siti Aminah",
            "email": "siti@example.org",
        },
        received_at=wib(2026, 10, 19, 9, 0),
    ).ticket
    answered = _step(
        frozen_now, wib(2026, 11, 2, 10, 0), objection, "answer", atasan, decision="upheld", note="Dikabulkan."
    )
    text = pdf_text(stored_pdf(IssuedDocument.objects.get(ticket=answered)))
    assert_fields(
        text,
        [
            (_("Decision"), ObjectionDetails.Decision.UPHELD.label),
            (_("Ground"), "Dikabulkan."),
            (_("What follows"), FOLLOW_UP[ObjectionDetails.Decision.UPHELD]),
        ],
    )


# --- numbering ----------------------------------------------------------------------------------------------------
def test_document_numbers_run_per_kind_and_wib_year(db, settings):
    # 31 Dec 2026 23:30 WIB is still 2026; 31 Dec 2026 17:30 UTC is 1 Jan 2027 00:30 WIB.
    assert next_document_number("PPID-PT", wib(2026, 12, 31, 23, 30)) == "0001/PPID-PT/2026"
    assert next_document_number("PPID-PT", wib(2026, 12, 31, 23, 45)) == "0002/PPID-PT/2026"
    utc = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
    assert next_document_number("PPID-PT", utc) == "0001/PPID-PT/2027"
    assert next_document_number("PPID-SKP", wib(2026, 12, 31, 23, 50)) == "0001/PPID-SKP/2026"
    settings.PESAN_DOCUMENT_NUMBER_FORMAT = "{prefix}-{year}-{number:03d}"
    assert next_document_number("PPID-PT", wib(2026, 6, 1, 9, 0)) == "PPID-PT-2026-003"
    # a service's tracking numbers are another sequence (counter "PPID" vs "doc:PPID-PT")
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 6, 1, 9, 0)).ticket
    assert ticket.tracking_number == "PPID-2026-000001"


# --- the citizen and the desk get them -------------------------------------------------------------------------
def test_citizen_downloads_and_prints_the_notice_from_the_status_page(client, partial_grant):
    submission, ticket = partial_grant
    number, token = submission.tracking_number, submission.access_token
    notice = IssuedDocument.objects.get(ticket=ticket)
    html = client.post("/layanan/cek-status/", {"tracking_number": number, "token": token}).content.decode()
    assert f"{_('Written notice')} 0001/PPID-PT/2026 (PDF)" in html
    download = reverse("layanan-site-file", args=[notice.attachment.pk])
    printing = reverse("layanan-site-document-print", args=[notice.attachment.pk])
    assert f'action="{download}"' in html and f'action="{printing}"' in html

    pdf = client.post(download, {"tracking_number": number, "token": token})
    assert pdf.status_code == 200 and "0001/PPID-PT/2026" in pdf_text(b"".join(pdf.streaming_content))
    page = client.post(printing, {"tracking_number": number, "token": token})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    printed = page.content.decode()
    assert "0001/PPID-PT/2026" in printed and "Rina Kusuma" in printed and "layanan/receipt.css" in printed
    assert "Nomor rekening pribadi penerima dihitamkan" in printed and token not in printed

    # a wrong token, a GET, and a released file that is not an issued document: 404 / 405
    assert client.post(printing, {"tracking_number": number, "token": "x" * 43}).status_code == 404
    assert client.get(printing).status_code == 405
    own_file = ticket.attachments.get(original_name="lampiran-lra.pdf")
    other = reverse("layanan-site-document-print", args=[own_file.pk])
    assert client.post(other, {"tracking_number": number, "token": token}).status_code == 404


def test_desk_lists_the_documents_with_pdf_and_print_for_officers_who_see_the_ticket(client, refusal, desk_users):
    _submission, ticket = refusal
    client.force_login(desk_users["ppid"])
    html = client.get(f"/admin/layanan/ppidrequestticket/inspect/{ticket.pk}/").content.decode()
    assert 'id="issued-documents"' in html and "0001/PPID-SKP/2026" in html and "0001/PPID-PT/2026" in html
    decision = IssuedDocument.objects.get(ticket=ticket, kind="ppid_refusal")
    pdf = client.get(reverse("layanan_desk_attachment", args=[decision.attachment.pk]))
    assert pdf.status_code == 200 and "0001/PPID-SKP/2026" in pdf_text(b"".join(pdf.streaming_content))
    page = client.get(reverse("layanan_desk_document_print", args=[decision.pk]))
    assert page.status_code == 200 and _("EXEMPT INFORMATION") in page.content.decode()
    # an operator of a unit the request was not disposed to does not see it
    client.force_login(desk_users["op2"])
    assert client.get(reverse("layanan_desk_document_print", args=[decision.pk])).status_code == 404


def test_desk_decide_form_takes_the_structured_notice(client, settled_holidays, desk_users):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 4, 6, 9, 0)).ticket
    client.force_login(desk_users["ppid"])
    url = reverse("layanan_desk_action", args=[ticket.pk, "decide"])
    form = client.get(url).content.decode()
    for name in ("exemption_statute", "public_interest", "forwarded_to_holder", "material_given", "information_format"):
        assert f'name="{name}"' in form
    assert 'name="notice_delivery"' in form and 'name="payment_method"' in form and 'name="time_needed_days"' in form
    response = client.post(
        url,
        {
            "outcome": "granted_full",
            "material_given": "Dokumen LRA 2025",
            "information_format": "hard_copy",
            "notice_delivery": "in_person",
            "cost": "5000",
            "payment_method": "Tunai di loket PPID",
            "time_needed_days": "3",
            "note": "Silakan ambil di loket.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    details = PPIDRequestDetails.objects.get(pk=ticket.pk)
    assert (details.information_format, details.notice_delivery, details.time_needed_days) == (
        "hard_copy",
        "in_person",
        3,
    )
    notice = IssuedDocument.objects.get(ticket=ticket)
    assert notice.signer_name == "ppid"  # no full name: the username
    text = pdf_text(stored_pdf(notice))
    assert_fields(text, [(_("Cost"), "Rp 5.000"), (_("How to pay"), "Tunai di loket PPID")])
    # a negative time is refused with the field named, and nothing is issued
    other = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 4, 6, 9, 0)).ticket
    bad = client.post(
        reverse("layanan_desk_action", args=[other.pk, "decide"]),
        {"outcome": "granted_full", "time_needed_days": "-1", "note": "x"},
    )
    assert bad.status_code == 200 and not IssuedDocument.objects.filter(ticket=other).exists()
