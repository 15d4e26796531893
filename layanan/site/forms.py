"""Forms of the reference public site (PPID request, objection, SP4N-LAPOR report, ticket lookup).

There is no second set of rules here: every form takes its fields (labels, help texts, choices, which are
required) from the DRF submission serializer of the public API (``layanan.api.ticket_serializers``),
validates through that serializer (which calls the shared validators of ``layanan.core.intake``), and registers
through the same intake function the API calls (``ppid_intake.submit_ppid_request`` …). The cross-field and domain
checks raised there (``ValidationError({field: message})``) are shown next to their fields.

Spam protection: a honeypot field (:data:`HONEYPOT_FIELD`, hidden from people and assistive technology) that
a person never fills in; rate limits are applied by the views with the API's throttle scopes; and on the four
submission forms (PPID request, objection, LAPOR, WBS report) a self-hosted anti-robot check
(:data:`CHALLENGE_FIELD`, ``layanan.site.challenge``): an ALTCHA proof of work the citizen's browser solves by
itself — nothing to see, hear or type (WCAG 1.1.1). The challenge is signed, not stored, so the WBS pages still
set no cookie but CSRF; no external service is called. It replaced the image captcha (issue 16).

Why the API has no such check: its clients are programs (a front end built by another team, a mobile app, the
SP4N-LAPOR connector), and a front end that wants one can add its own. The API keeps the honeypot and the same
per-client throttles (``submission``, ``lookup``, ``wbs_access``); the check only adds cost to scripted abuse of
this site's HTML forms.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from layanan.api import ticket_serializers as api
from layanan.api import wbs_serializers as wbs_api
from layanan.core import conf as desk_conf
from layanan.core import intake
from layanan.lapor import intake as lapor_intake
from layanan.lapor.models import LaporCategory
from layanan.ppid import intake as ppid_intake
from layanan.site import challenge as site_challenge
from layanan.wbs import services as wbs

__all__ = [
    "CHALLENGE_FIELD",
    "HONEYPOT_FIELD",
    "LaporReportForm",
    "ObjectionForm",
    "PPIDRequestForm",
    "ServiceForm",
    "TicketLookupForm",
    "WbsAccessForm",
    "WbsMessageForm",
    "WbsReportForm",
    "upload_limits",
]

#: Name of the honeypot input: looks like a normal field to a bot, hidden from people.
HONEYPOT_FIELD = "website"

#: Name of the anti-robot check's hidden input (the ALTCHA payload; ``layanan.site.challenge``).
CHALLENGE_FIELD = "altcha"


#: Serializer fields never shown on the site (the channel is always "web").
_HIDDEN = {"channel", "access_token", "tracking_number"}


def upload_limits() -> dict:
    """The upload limits the API applies (``layanan.core.conf``): ``{"max_mb", "max_files", "types"}``.

    ``max_mb`` is megabytes (1 MB = 1,048,576 bytes), ``types`` a display string such as "PDF, JPEG, PNG".
    """
    limit = desk_conf.attachment_max_bytes()
    max_mb = limit / (1024 * 1024)
    return {
        "max_mb": int(max_mb) if limit % (1024 * 1024) == 0 else round(max_mb, 1),
        "max_files": desk_conf.attachment_max_files(),
        "types": intake._type_labels(),
    }


def _accept_attr() -> str:
    extensions = {"application/pdf": ".pdf", "image/jpeg": ".jpg,.jpeg", "image/png": ".png"}
    return ",".join([extensions.get(t, t) for t in desk_conf.attachment_types()])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (validated by the serializer, not here)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return data


def _form_field(name: str, field: serializers.Field) -> forms.Field:
    """A Django form field that renders ``field`` of a submission serializer (no validation of its own)."""
    common = {
        "label": field.label or name,
        "help_text": field.help_text or "",
        "required": bool(field.required),
    }
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.FileField):
        limits = upload_limits()
        help_text = _("Optional. Up to %(max_files)s files, each at most %(max_mb)s MB; allowed: %(types)s.") % limits
        return MultipleFileField(
            widget=MultipleFileInput(attrs={"accept": _accept_attr()}), **{**common, "help_text": help_text}
        )
    if isinstance(field, serializers.FileField):
        limits = upload_limits()
        help_text = _("At most %(max_mb)s MB; allowed: %(types)s.") % limits
        return forms.FileField(
            widget=forms.ClearableFileInput(attrs={"accept": _accept_attr()}), **{**common, "help_text": help_text}
        )
    if isinstance(field, serializers.BooleanField):
        return forms.BooleanField(**{**common, "required": False})
    if isinstance(field, serializers.ChoiceField):
        choices = list(field.choices.items())
        if not field.required or field.default is not serializers.empty:
            initial = None if field.default is serializers.empty else field.default
            return forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, initial=initial, **{**common, "required": False}
            )
        return forms.ChoiceField(choices=[("", _("— choose —")), *choices], **common)
    if isinstance(field, api.CategoryField):
        categories = LaporCategory.objects.filter(active=True).select_related("parent")
        choices = [("", _("— choose —"))] + sorted(((str(c.pk), c.full_name) for c in categories), key=lambda c: c[1])
        return forms.ChoiceField(choices=choices, **common)
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if isinstance(field, serializers.EmailField):
        return forms.EmailField(
            widget=forms.EmailInput(attrs={"autocomplete": "email"}), max_length=field.max_length, **common
        )
    if isinstance(field, api.PhoneField):
        return forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **common)
    if isinstance(field, api.NIKField):
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}), **common)
    if isinstance(field, serializers.CharField):
        if field.max_length and field.max_length <= 255:
            return forms.CharField(widget=forms.TextInput(attrs={"maxlength": field.max_length}), **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    return forms.CharField(**common)


def _flatten(detail) -> list[str]:
    """DRF error detail (list, dict of index → list, nested) as a flat list of strings."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


class ServiceForm(forms.Form):
    """Base of the submission forms: fields from ``serializer_class``, validation by the serializer,
    registration by ``submit`` (an ``layanan.core.intake`` function).

    Use: ``form = PPIDRequestForm(request.POST, request.FILES)``; ``submission = form.save()`` returns an
    ``intake.Submission`` or ``None`` when ``form.errors`` holds per-field messages (Indonesian by default).
    A filled honeypot is rejected with a non-field error and nothing is stored.
    """

    serializer_class: type[serializers.Serializer] | None = None
    submit = None
    #: Field order on the page; serializer fields not listed follow in their own order.
    field_order: list[str] = []
    #: Serializer fields not shown (aliases).
    exclude: tuple[str, ...] = ()
    #: Ask for the anti-robot check (the four submission forms; not the WBS reply, which needs the receipt code).
    use_challenge = False
    #: URL name of the address the check's script asks for a fresh challenge (same origin; WBS: under /wbs/).
    challenge_refresh_url_name = "layanan-site-challenge"
    spam_message = _("Your submission could not be accepted. Please try again without automatic form filling.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        serializer = self.serializer_class()
        for name, field in serializer.fields.items():
            if name in _HIDDEN or name in self.exclude or field.read_only:
                continue
            self.fields[name] = _form_field(name, field)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        if self.use_challenge:
            self.fields[CHALLENGE_FIELD] = site_challenge.ChallengeField(self.challenge_refresh_url_name)
        self.order_fields(self.field_order)

    # --- validation through the API serializer -----------------------------------------------------------
    def _serializer_data(self) -> QueryDict:
        data = self.data.copy() if hasattr(self.data, "copy") else QueryDict(mutable=True)
        if not isinstance(data, QueryDict):
            merged = QueryDict(mutable=True)
            for key, value in data.items():
                merged.setlist(key, value if isinstance(value, list) else [value])
            data = merged
        for key in (HONEYPOT_FIELD, "csrfmiddlewaretoken", CHALLENGE_FIELD):
            data.pop(key, None)
        data["channel"] = "web"
        for key in self.files or {}:
            files = self.files.getlist(key) if hasattr(self.files, "getlist") else [self.files[key]]
            files = [f for f in files if f]
            if files:
                data.setlist(key, files)
        # an empty <select>/<input> means "not given" (the serializer then says "required" where it is)
        for key in list(data.keys()):
            if data.getlist(key) in ([""], []) and key in self.fields:
                data.pop(key)
        return data

    def full_clean(self):
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        if (self.data.get(HONEYPOT_FIELD) or "").strip():
            self.add_error(None, self.spam_message)
            return
        serializer = self.serializer_class(data=self._serializer_data())
        if serializer.is_valid():
            self.cleaned_data = dict(serializer.validated_data)
        else:
            self._add_errors(serializer.errors)
        if self.use_challenge:  # checked (and used up) on every post, so all errors show at once
            bf = self[CHALLENGE_FIELD]
            try:
                bf.field.clean(bf.data)
            except DjangoValidationError as exc:
                self.add_error(CHALLENGE_FIELD, exc)

    def _add_errors(self, errors: dict) -> None:
        for name, detail in errors.items():
            field = name if name in self.fields else None
            for message in _flatten(detail):
                self.add_error(field, message)

    def save(self):
        """Register the submission (one transaction, in the intake function). ``None`` on errors."""
        if not self.is_valid():
            return None
        data = dict(self.cleaned_data)
        files = data.pop("attachments", None) or data.pop("files", None) or []
        data.pop("channel", None)
        try:
            return type(self).submit(data, files=files, channel="web")
        except DjangoValidationError as exc:
            self._add_errors(exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages})
            return None

    # --- rendering helpers --------------------------------------------------------------------------------
    @property
    def has_file_fields(self) -> bool:
        return any(isinstance(f, forms.FileField) for f in self.fields.values())

    def visible_service_fields(self):
        """The fields a person fills in, without the honeypot and the anti-robot check (rendered at the end)."""
        return [bf for bf in self if bf.name not in (HONEYPOT_FIELD, CHALLENGE_FIELD)]

    @property
    def challenge(self):
        """The anti-robot check's bound field, or ``None`` on forms without one."""
        return self[CHALLENGE_FIELD] if CHALLENGE_FIELD in self.fields else None

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    def annotate(self) -> None:
        """Set ``aria-describedby`` (help text + error ids) and ``aria-invalid`` on every widget."""
        for bf in self:
            attrs = bf.field.widget.attrs
            described = []
            if bf.help_text:
                described.append(f"{bf.auto_id}_helptext")
            if bf.errors:
                described.append(f"{bf.auto_id}_error")
                attrs["aria-invalid"] = "true"
            if described:
                attrs["aria-describedby"] = " ".join(described)
            if bf.field.required:
                attrs["aria-required"] = "true"


class PPIDRequestForm(ServiceForm):
    """Public-information request (SLIP form; UU 14/2008 Pasal 22) — fields of ``PPIDRequestSubmissionSerializer``."""

    use_challenge = True
    serializer_class = api.PPIDRequestSubmissionSerializer
    submit = staticmethod(ppid_intake.submit_ppid_request)
    field_order = [
        "applicant_type",
        "name",
        "nik",
        "legal_entity_decree",
        "address",
        "occupation",
        "phone",
        "email",
        "information_requested",
        "purpose",
        "obtain_method",
        "delivery_method",
        "is_proxy",
        "power_of_attorney",
        "attachments",
    ]


class ObjectionForm(ServiceForm):
    """Objection (keberatan; UU 14/2008 Pasal 35–36) — fields of ``ObjectionSubmissionSerializer``."""

    use_challenge = True
    serializer_class = api.ObjectionSubmissionSerializer
    submit = staticmethod(ppid_intake.submit_objection)
    field_order = ["request_tracking_number", "name", "nik", "email", "phone", "reason", "description", "attachments"]


class LaporReportForm(ServiceForm):
    """SP4N-LAPOR report (Perpres 76/2013) — fields of ``LaporSubmissionSerializer``."""

    use_challenge = True
    serializer_class = api.LaporSubmissionSerializer
    submit = staticmethod(lapor_intake.submit_lapor_report)
    field_order = [
        "classification",
        "title",
        "description",
        "category",
        "location",
        "incident_date",
        "anonymous",
        "name",
        "nik",
        "email",
        "phone",
        "confidential",
        "attachments",
    ]


class WbsReportForm(ServiceForm):
    """Whistleblowing report (Permenko Marves 3/2022) — fields of ``WbsReportSerializer``; registered by
    ``layanan.wbs.services.submit_wbs_report`` (returns a ``WbsSubmission`` with the receipt code)."""

    use_challenge = True
    challenge_refresh_url_name = "layanan-site-wbs-challenge"
    serializer_class = wbs_api.WbsReportSerializer
    submit = staticmethod(wbs.submit_wbs_report)
    exclude = ("attachments",)
    field_order = ["violation_type", "what", "where", "when", "who", "unit", "how", "files", "name", "contact", "email"]

    #: Short answers: one-line inputs instead of text areas.
    short_fields = ("where", "when", "unit", "name", "contact")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.short_fields:
            self.fields[name].widget = forms.TextInput(attrs={"autocomplete": "off"})
        self.fields["violation_type"].help_text = ""  # the API's help text points at an endpoint


class WbsMessageForm(ServiceForm):
    """The reporter's key (receipt code) and a message with optional files — ``WbsMessageSerializer``.

    ``save()`` is not used: the view resolves the code first (counting wrong codes), then calls
    ``wbs.add_reporter_message``."""

    serializer_class = wbs_api.WbsMessageSerializer
    exclude = ("attachments",)
    field_order = ["code", "text", "files"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


class WbsAccessForm(ServiceForm):
    """The receipt code to open a WBS report — ``WbsAccessSerializer``."""

    serializer_class = wbs_api.WbsAccessSerializer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = True
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class TicketLookupForm(forms.Form):
    """ "Check my ticket": tracking number + access token (checked by ``layanan.core.public.find_ticket_for_token``)."""

    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=32,
        help_text=_("e.g. PPID-2026-000123"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    token = forms.CharField(
        label=_("Access token"),
        max_length=128,
        help_text=_("The token shown once when you submitted (also sent to your e-mail)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    annotate = ServiceForm.annotate


class AccessRecoveryForm(forms.Form):
    """ "Forgot my access": tracking number + the e-mail address or phone number given when filing
    (``layanan.core.recovery.request_access``; the answer is the same whether or not they match)."""

    tracking_number = TicketLookupForm.base_fields["tracking_number"]
    contact = forms.CharField(
        label=_("E-mail address or phone number"),
        max_length=254,
        help_text=_("The one you gave when you submitted."),
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    annotate = ServiceForm.annotate
