"""The submission API accepts what its OpenAPI schema says, and refuses what it forbids (issue 15).

Each case was a disagreement schemathesis found (``tests/test_api_fuzz.py``): a JSON number or ``1`` where the
schema says string or boolean was read as text or ``true``; a phone number of dots passed its length limit; a
non-object body under the cross-field rules was a 500; the schema gave JSON bodies file fields they cannot carry
and did not say "e-mail or phone", "a NIK for a person" or "a code, or a number and its token".
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import lapor_payload, ppid_payload, wbs_payload

pytestmark = pytest.mark.django_db

PPID_URL = "/api/v2/ppid/requests/"
LAPOR_URL = "/api/v2/lapor/reports/"
WBS_URL = "/api/v2/wbs/reports/"


@pytest.mark.parametrize(
    ("url", "payload", "field", "value"),
    [
        (PPID_URL, ppid_payload, "name", 0),
        (PPID_URL, ppid_payload, "phone", 81234567890),
        (PPID_URL, ppid_payload, "is_proxy", 0),
        (LAPOR_URL, lapor_payload, "title", 12.5),
        (LAPOR_URL, lapor_payload, "anonymous", "true"),
        (LAPOR_URL, lapor_payload, "confidential", 1),
        (WBS_URL, wbs_payload, "what", 0),
        (WBS_URL, wbs_payload, "where", True),
    ],
)
def test_a_json_value_of_the_wrong_type_is_a_400_naming_the_field(api_client, url, payload, field, value):
    response = api_client.post(url, payload(**{field: value}), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Ticket.objects.count() == 0


def test_form_fields_keep_their_text_spellings(api_client):
    """Multipart and form values are always text: ``is_proxy=false`` and ``anonymous=true`` still read as booleans."""
    response = api_client.post(PPID_URL, ppid_payload(is_proxy="false"), format="multipart")
    assert response.status_code == 201, response.content
    response = api_client.post(LAPOR_URL, lapor_payload(anonymous="true", name="", email=""), format="multipart")
    assert response.status_code == 201, response.content


def test_a_phone_number_is_at_most_32_characters_as_sent(api_client):
    response = api_client.post(PPID_URL, ppid_payload(phone="08123456789" + "." * 22), format="json")
    assert response.status_code == 400, response.content
    assert "phone" in response.json()
    response = api_client.post(PPID_URL, ppid_payload(phone="0812-3456-7890"), format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("body", ["0", "false", '"AAA"', "[null, null]"])
@pytest.mark.parametrize("url", [PPID_URL, "/api/v2/ppid/objections/", LAPOR_URL])
def test_a_body_that_is_not_an_object_is_a_400(api_client, url, body):
    response = api_client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "non_field_errors" in response.json()


def test_a_text_of_private_use_or_unassigned_characters_is_not_blank(api_client):
    """Blank means only spaces, controls and format characters — the set the schema's pattern is built from."""
    response = api_client.post(LAPOR_URL, lapor_payload(title="\U000f0000\U000e0100"), format="json")
    assert response.status_code == 201, response.content


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, node):
    ref = node.get("$ref")
    return schema["components"]["schemas"][ref.rpartition("/")[2]] if ref else node


def _body(schema, path, media_type):
    ref = schema["paths"][path]["post"]["requestBody"]["content"][media_type]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rpartition("/")[2]]


def test_json_bodies_have_no_file_fields_and_state_the_cross_field_rules(schema):
    ppid = _body(schema, PPID_URL, "application/json")
    assert not {"attachments", "power_of_attorney"} & set(ppid["properties"])
    rules = ppid["allOf"]
    assert [branch["required"] for branch in rules[0]["anyOf"]] == [["email"], ["phone"]]  # e-mail or phone
    assert [branch["required"] for branch in rules[1]["anyOf"]] == [["nik"], ["applicant_type", "legal_entity_decree"]]
    proxy = next(rule["properties"]["is_proxy"] for rule in rules if "is_proxy" in rule.get("properties", {}))
    assert _resolve(schema, proxy) == {"enum": [False]}  # a proxy's power of attorney is a file
    multipart = _body(schema, PPID_URL, "multipart/form-data")
    assert {"attachments", "power_of_attorney"} <= set(multipart["properties"])
    assert not any(prop.get("nullable") for prop in multipart["properties"].values())  # a form field is never null
    lapor = _body(schema, LAPOR_URL, "application/json")
    anonymous = lapor["anyOf"][0]  # anonymous, or a name and a contact
    assert anonymous["required"] == ["anonymous"]
    assert _resolve(schema, anonymous["properties"]["anonymous"]) == {"enum": [True]}
    assert lapor["properties"]["incident_date"]["pattern"].startswith("^")


def test_wbs_bodies_require_a_code_or_a_number_and_its_token(schema):
    for path in ("/api/v2/wbs/access/", "/api/v2/wbs/files/{file_id}/"):
        operation = schema["paths"][path]["post"]
        assert operation["requestBody"]["required"] is True
        access = _body(schema, path, "application/json")
        assert [branch["required"] for branch in access["anyOf"]] == [["code"], ["tracking_number", "access_token"]]
        code = access["properties"]["code"]["oneOf"]  # the pattern, or blank
        assert code[0]["pattern"] and code[1] == {"type": "string", "maxLength": 0}
