"""Social-media intake: connector token auth, idempotent delivery, hand entry, triage into PPID / LAPOR / WBS
(the new ticket links back; its secret is shown once) and dismissal with a reason."""

import pytest
from django.urls import reverse

from layanan.core.crypto import hash_token
from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.workflow import TransitionError, apply_transition
from layanan.social.models import SocialConnector, SocialMessageDetails
from layanan.social.services import create_connector, renew_token

pytestmark = pytest.mark.django_db

URL = "/api/v2/social/messages/"


@pytest.fixture
def connector(db):
    connector, token = create_connector(name="Jembatan Instagram", platform="instagram", account_handle="@kementerian")
    connector.token = token
    return connector


def message(**overrides) -> dict:
    data = {
        "platform": "instagram",
        "account_handle": "@kementerian",
        "message_id": "17890000000000001",
        "permalink": "https://www.instagram.com/p/Cabc123/",
        "author_handle": "@warga_peduli",
        "text": "Min, bagaimana cara meminta salinan laporan keuangan 2025?",
        "posted_at": "2026-03-02T09:15:00+07:00",
        "attachments": ["https://cdn.example.org/media/1.jpg", "https://cdn.example.org/media/2.jpg"],
    }
    data.update(overrides)
    return data


def deliver(api_client, token, **overrides):
    return api_client.post(URL, message(**overrides), format="json", HTTP_AUTHORIZATION=f"Bearer {token}")


# --- token auth -----------------------------------------------------------------------------------------------------
def test_missing_or_wrong_token_is_401(api_client, connector):
    missing = api_client.post(URL, message(), format="json")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    wrong = api_client.post(URL, message(), format="json", HTTP_AUTHORIZATION="Bearer psc_not-the-token")
    assert wrong.status_code == 401
    malformed = api_client.post(URL, message(), format="json", HTTP_AUTHORIZATION=connector.token)
    assert malformed.status_code == 401
    connector.active = False
    connector.save()
    assert deliver(api_client, connector.token).status_code == 401
    assert not Ticket.objects.filter(service="social").exists()


def test_token_is_stored_hashed_and_renewing_revokes_the_old_one(api_client, connector):
    stored = SocialConnector.objects.get(pk=connector.pk)
    assert stored.token_hash == hash_token(connector.token) and connector.token not in str(stored.__dict__)
    assert connector.token.startswith(stored.token_prefix)
    new = renew_token(stored)
    assert deliver(api_client, connector.token).status_code == 401
    assert deliver(api_client, new).status_code == 201
    assert SocialConnector.objects.get(pk=connector.pk).last_used_at is not None


# --- delivery -------------------------------------------------------------------------------------------------------
def test_same_message_twice_gives_one_ticket(api_client, connector):
    first = deliver(api_client, connector.token)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True and body["tracking_number"].startswith("SOSMED-") and body["status"] == "received"
    again = deliver(api_client, connector.token, text="(edited) something else")
    assert again.status_code == 200
    assert again.json()["tracking_number"] == body["tracking_number"] and again.json()["created"] is False
    assert Ticket.objects.filter(service="social").count() == 1
    ticket = Ticket.objects.get(tracking_number=body["tracking_number"])
    assert ticket.description.startswith("Min, bagaimana")  # the repeat changed nothing
    details = ticket.social
    assert details.connector == connector and details.author_handle == "@warga_peduli"
    assert details.attachment_urls == message()["attachments"]  # stored as URLs, not fetched
    assert ticket.attachments.count() == 0
    assert ticket.channel == "social_media" and ticket.due_date is not None
    # another platform with the same id is another message
    other_connector, token = create_connector(name="X bridge", platform="x")
    assert deliver(api_client, token, platform="x").status_code == 201
    assert SocialMessageDetails.objects.count() == 2


def test_message_validation(api_client, connector):
    response = deliver(api_client, connector.token, platform="x")
    assert response.status_code == 400 and "platform" in response.json()  # connector bound to Instagram
    response = deliver(api_client, connector.token, text="", attachments=[])
    assert response.status_code == 400 and "text" in response.json()
    response = deliver(api_client, connector.token, attachments=["javascript:alert(1)"])
    assert response.status_code == 400 and "attachments" in response.json()
    payload = message()
    payload.pop("message_id")
    response = api_client.post(URL, payload, format="json", HTTP_AUTHORIZATION=f"Bearer {connector.token}")
    assert response.status_code == 400 and "message_id" in response.json()
    assert not Ticket.objects.filter(service="social").exists()


def test_aliases_time_and_account_are_accepted(api_client, connector):
    payload = message()
    payload["time"] = payload.pop("posted_at")
    payload["account"] = payload.pop("account_handle")
    response = api_client.post(URL, payload, format="json", HTTP_AUTHORIZATION=f"Bearer {connector.token}")
    assert response.status_code == 201
    details = SocialMessageDetails.objects.get()
    assert details.posted_at.isoformat() == "2026-03-02T02:15:00+00:00" and details.account_handle == "@kementerian"


# --- triage -----------------------------------------------------------------------------------------------------------
@pytest.fixture
def social_ticket(api_client, connector):
    number = deliver(api_client, connector.token).json()["tracking_number"]
    return Ticket.objects.get(tracking_number=number)


def action_url(ticket, action):
    return reverse("layanan_desk_action", args=[ticket.pk, action])


def test_triage_into_a_ppid_request(client, api_client, social_ticket, social_admin, desk_users):
    client.force_login(social_admin)
    inspect = f"/admin/layanan/socialticket/inspect/{social_ticket.pk}/"
    page = client.get(inspect)
    assert page.status_code == 200 and action_url(social_ticket, "to_ppid") in page.content.decode()
    response = client.post(action_url(social_ticket, "to_ppid"), {"note": "Permintaan informasi."})
    assert response.status_code == 200
    submission = response.context["submission"]
    assert submission.access_token in response.content.decode()  # shown once, to send privately
    request = Ticket.objects.get(service="ppid_request")
    assert request.origin_id == social_ticket.pk and request.channel == "social_media"
    assert request.received_at == social_ticket.received_at  # the deadline counts from the message
    assert "bagaimana cara meminta salinan" in request.ppid.information_requested
    assert "https://www.instagram.com/p/Cabc123/" in request.ppid.information_requested
    social_ticket.refresh_from_db()
    assert social_ticket.status == "triaged" and social_ticket.social.outcome == "ppid_request"
    entry = TimelineEntry.objects.get(ticket=social_ticket, action="to_ppid")
    assert entry.data["created_ticket"] == request.tracking_number
    # the applicant can follow it with the token the officer sent
    status = api_client.get(f"/api/v2/tickets/{request.tracking_number}/", HTTP_X_ACCESS_TOKEN=submission.access_token)
    assert status.status_code == 200
    # and the PPID desk has it
    assert Ticket.objects.filter(pk=request.pk, service="ppid_request").exists()
    client.force_login(desk_users["ppid"])
    assert client.get(f"/admin/layanan/ppidrequestticket/inspect/{request.pk}/").status_code == 200
    # once triaged, it cannot be triaged again
    with pytest.raises(TransitionError):
        apply_transition(social_ticket, "to_lapor", social_admin, classification="pengaduan")


def test_triage_into_a_lapor_report(social_ticket, social_admin):
    with pytest.raises(TransitionError) as refused:
        apply_transition(social_ticket, "to_lapor", social_admin)
    assert "classification" in refused.value.errors
    updated = apply_transition(social_ticket, "to_lapor", social_admin, classification="pengaduan")
    lapor = Ticket.objects.get(service="lapor")
    assert updated.transition_result["_submission"].ticket == lapor
    assert lapor.origin_id == social_ticket.pk and lapor.lapor.classification == "pengaduan"
    assert lapor.applicant_name == "@warga_peduli" and lapor.due_date is not None
    assert updated.social.outcome == "lapor"


def test_triage_into_a_wbs_report(api_client, social_ticket, social_admin, inspektorat):
    updated = apply_transition(social_ticket, "to_wbs", social_admin, violation_type="gratification")
    submission = updated.transition_result["_submission"]
    report = Ticket.objects.get(service="wbs")
    assert report.origin_id == social_ticket.pk and report.wbs.violation_type == "gratification"
    assert report.wbs.reporter_contact == "Instagram: @warga_peduli"  # encrypted identity, not in clear columns
    assert report.applicant_name == ""
    access = api_client.post("/api/v2/wbs/access/", {"code": submission.formatted_code}, format="json")
    assert access.status_code == 200 and access.json()["tracking_number"] == report.tracking_number
    from layanan.core.access import tickets_visible_to

    assert not tickets_visible_to(social_admin).filter(pk=report.pk).exists()
    assert tickets_visible_to(inspektorat).filter(pk=report.pk).exists()
    # the secret never reaches the timeline
    entry = TimelineEntry.objects.get(ticket=social_ticket, action="to_wbs")
    assert submission.receipt_code not in str(entry.data) + entry.note


def test_dismissal_needs_a_reason(client, social_ticket, social_admin):
    client.force_login(social_admin)
    url = action_url(social_ticket, "dismiss")
    assert client.post(url, {"reason": ""}).status_code == 200  # form re-rendered with the error
    assert Ticket.objects.get(pk=social_ticket.pk).status == "received"
    assert client.post(url, {"reason": "Hanya ucapan terima kasih."}).status_code == 302
    social_ticket.refresh_from_db()
    assert social_ticket.status == "dismissed"
    assert (
        social_ticket.social.outcome == "dismissed"
        and social_ticket.social.dismissal_reason == "Hanya ucapan terima kasih."
    )
    assert not social_ticket.derived_tickets.exists()


def test_other_roles_cannot_triage(social_ticket, desk_users):
    for user in desk_users.values():
        with pytest.raises(TransitionError):
            apply_transition(social_ticket, "dismiss", user, reason="x")


# --- operators -------------------------------------------------------------------------------------------------------
def test_operator_enters_a_message_by_hand(client, social_admin):
    client.force_login(social_admin)
    url = reverse("layanan_desk_register", args=["social"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "platform": "facebook",
            "author_handle": "Ibu Sari",
            "text": "Pesan langsung: jalan di depan kantor rusak.",
            "attachment_urls": "https://cdn.example.org/x.jpg\n",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(service="social")
    assert ticket.social.connector is None and ticket.social.attachment_urls == ["https://cdn.example.org/x.jpg"]
    assert TimelineEntry.objects.get(ticket=ticket, action="registered").actor == social_admin


def test_connector_created_in_the_admin_shows_its_token_once(client, api_client, social_admin):
    client.force_login(social_admin)
    response = client.post(
        "/admin/layanan/socialconnector/create/",
        {"name": "WhatsApp gateway", "platform": "whatsapp", "account_handle": "+62811000", "active": "on"},
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token in response.content.decode()
    connector = SocialConnector.objects.get(name="WhatsApp gateway")
    assert connector.token_hash == hash_token(token) and connector.created_by == social_admin
    listing = client.get("/admin/layanan/socialconnector/").content.decode()
    assert "WhatsApp gateway" in listing and token not in listing
    assert deliver(api_client, token, platform="whatsapp").status_code == 201


def test_connector_token_renewal_is_for_the_social_role(client, connector, social_admin, desk_users):
    url = reverse("layanan_social_connector_renew", args=[connector.pk])
    client.force_login(desk_users["op1"])
    assert client.post(url).status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect
    connector.refresh_from_db()
    assert connector.token_hash == hash_token(connector.token)
    client.force_login(social_admin)
    response = client.post(url)
    assert response.status_code == 200
    connector.refresh_from_db()
    assert connector.token_hash == hash_token(response.context["token"]) != hash_token(connector.token)


def test_social_list_is_for_the_social_role(client, social_ticket, social_admin, desk_users):
    client.force_login(social_admin)
    assert social_ticket.tracking_number in client.get("/admin/layanan/socialticket/").content.decode()
    client.force_login(desk_users["op1"])
    response = client.get("/admin/layanan/socialticket/")
    assert response.status_code in (302, 403)


def test_after_triage_into_wbs_only_the_inspektorat_reads_the_allegation(
    client, social_ticket, social_admin, inspektorat
):
    """Issue 15: the social desk keeps a stub — no text, author or link — and the Inspektorat has it all."""
    text, author = social_ticket.description, social_ticket.social.author_handle
    apply_transition(social_ticket, "note", social_admin, note="Akun ini sering melapor pungli di loket 3.")
    apply_transition(social_ticket, "to_wbs", social_admin, violation_type="gratification")
    report = Ticket.objects.get(service="wbs")
    social_ticket.refresh_from_db()
    assert text not in social_ticket.description + social_ticket.subject and social_ticket.applicant_name == ""
    assert social_ticket.social.author_handle == "" and social_ticket.social.permalink == ""
    assert social_ticket.social.message_id  # kept: the same message delivered again is still one ticket
    notes = " ".join(e.text for e in social_ticket.timeline.all())
    assert "pungli di loket 3" not in notes and author not in notes
    client.force_login(social_admin)
    page = client.get(f"/admin/layanan/socialticket/inspect/{social_ticket.pk}/").content.decode()
    assert text not in page and author not in page and "pungli di loket 3" not in page
    # the Inspektorat reads the allegation and the social desk's note, sealed in the WBS report
    assert text in report.wbs.what
    history = TimelineEntry.objects.get(ticket=report, action="origin_history")
    assert history.note == "" and "pungli di loket 3" in history.note_sealed
    client.force_login(inspektorat)
    assert "pungli di loket 3" in client.get(f"/admin/layanan/wbsticket/inspect/{report.pk}/").content.decode()


def test_a_message_that_reaches_wbs_through_a_lapor_report_leaves_only_a_stub_on_the_social_desk(
    client, social_ticket, social_admin, desk_users, inspektorat
):
    """Social message → LAPOR report → WBS: the first ticket holds the same allegation and the author; it keeps a
    stub too (the move seals the whole chain), and the Inspektorat reads its history in the WBS report."""
    text, author = social_ticket.description, social_ticket.social.author_handle
    apply_transition(social_ticket, "note", social_admin, note="Akun ini sering melapor pungli di loket 3.")
    apply_transition(social_ticket, "to_lapor", social_admin, classification="pengaduan")
    lapor = Ticket.objects.get(service="lapor")
    apply_transition(lapor, "verify", desk_users["lapor"])
    apply_transition(lapor, "transfer_to_wbs", desk_users["lapor"], violation_type="extortion", note="Dugaan pungli.")
    report = Ticket.objects.get(service="wbs")

    social_ticket.refresh_from_db()
    assert text not in social_ticket.description + social_ticket.subject
    assert social_ticket.applicant_name == social_ticket.applicant_email == social_ticket.applicant_phone == ""
    assert social_ticket.social.author_handle == "" and social_ticket.social.permalink == ""
    assert social_ticket.social.message_id.startswith("h:")  # a repeated delivery is still recognised
    notes = " ".join(e.text for e in social_ticket.timeline.all())
    assert "pungli di loket 3" not in notes and author not in notes
    client.force_login(social_admin)
    page = client.get(f"/admin/layanan/socialticket/inspect/{social_ticket.pk}/").content.decode()
    assert text not in page and author not in page and "pungli di loket 3" not in page

    history = TimelineEntry.objects.get(ticket=report, action="origin_history")
    assert social_ticket.tracking_number in history.note_sealed and "pungli di loket 3" in history.note_sealed
    client.force_login(inspektorat)
    assert "pungli di loket 3" in client.get(f"/admin/layanan/wbsticket/inspect/{report.pk}/").content.decode()
