"""A refusal citing an entry of the list of exempt information (DIK): the PPID's ``decide`` takes ``dik_entry``,
which fills the Pasal 17 ground (and the statute of ground j) and the consequence test (harm, public-interest
weighing) from the entry; only an exempt entry in force on the day can be cited (UU 14/2008 Pasal 17, 20)."""

import datetime

import pytest
from django.utils import timezone

from layanan.core.workflow import TransitionError, apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.ppid.dik import dik_entry_choices
from tests.home.factories import make_dip_index, make_entry, make_site
from tests.layanan.conftest import ppid_payload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def entries(db, units):
    index = make_dip_index(make_site())
    unit = units[0]
    return {
        "bank": make_entry(
            index,
            unit,
            title="Data Nasabah",
            information_class="dikecualikan",
            exemption_ground="j",
            ground_statute="UU 7/1992 tentang Perbankan Pasal 40",
            consequence_test="Membuka data nasabah melanggar rahasia bank.",
            public_interest_test="Tidak ada kepentingan umum yang lebih besar.",
            exemption_period="Selama rekening ada",
            decision_number="KEP-PPID/3/2025",
            decision_date=datetime.date(2025, 2, 10),
        ),
        "ended": make_entry(
            index,
            unit,
            title="Audit Lama",
            information_class="dikecualikan",
            exemption_ground="a",
            exempt_until=TODAY - datetime.timedelta(days=1),
        ),
        "open": make_entry(index, unit, title="Renstra"),
    }


@pytest.fixture
def request_ticket(db):
    return ppid_intake.submit_ppid_request(ppid_payload()).ticket


def test_only_exempt_entries_in_force_can_be_cited(entries):
    choices = dict(dik_entry_choices())
    assert list(choices) == [str(entries["bank"].pk)]
    assert choices[str(entries["bank"].pk)] == (
        "Data Nasabah — UU 14/2008 Pasal 17 huruf j jo. UU 7/1992 tentang Perbankan Pasal 40 (KEP-PPID/3/2025)"
    )


def test_refusal_citing_an_entry_takes_its_ground_and_consequence_test(entries, request_ticket, desk_users):
    entry = entries["bank"]
    ticket = apply_transition(
        request_ticket, "decide", desk_users["ppid"], outcome="rejected_exempt", dik_entry=str(entry.pk), note="x"
    )
    details = ticket.ppid
    assert details.outcome == "rejected_exempt"
    assert details.exemption_ground == "j"
    assert details.exemption_statute == "UU 7/1992 tentang Perbankan Pasal 40"
    assert "KEP-PPID/3/2025" in details.outcome_reason and "Data Nasabah" in details.outcome_reason
    assert details.outcome_reason.endswith("Membuka data nasabah melanggar rahasia bank.")
    assert details.public_interest == "Tidak ada kepentingan umum yang lebih besar."
    entry_event = ticket.timeline.get(action="decide")
    assert entry_event.data["dik_entry"] == str(entry.pk)  # the citation is on record


def test_text_the_officer_wrote_is_kept(entries, request_ticket, desk_users):
    ticket = apply_transition(
        request_ticket,
        "decide",
        desk_users["ppid"],
        outcome="granted_part",
        dik_entry=str(entries["bank"].pk),
        outcome_reason="Nomor rekening dihitamkan.",
        note="x",
    )
    assert ticket.ppid.outcome_reason == "Nomor rekening dihitamkan."
    assert ticket.ppid.exemption_ground == "j"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "granted_full", "entry": "bank"}, "dik_entry"),  # nothing is withheld: nothing to cite
        ({"outcome": "rejected_exempt", "entry": "bank", "exemption_ground": "h"}, "exemption_ground"),
        ({"outcome": "rejected_exempt", "entry": "ended"}, "dik_entry"),  # its period ended yesterday
        ({"outcome": "rejected_exempt", "entry": "open"}, "dik_entry"),  # not exempt at all
    ],
)
def test_a_wrong_citation_is_refused_and_nothing_changes(entries, request_ticket, desk_users, data, field):
    data = dict(data)
    entry = entries[data.pop("entry")]
    with pytest.raises(TransitionError) as excinfo:
        apply_transition(request_ticket, "decide", desk_users["ppid"], dik_entry=str(entry.pk), note="x", **data)
    assert field in excinfo.value.errors
    request_ticket.refresh_from_db()
    assert request_ticket.status == "received"
    assert request_ticket.ppid.outcome == ""
