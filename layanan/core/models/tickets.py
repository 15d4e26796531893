"""The unified ticket of the service desk, its timeline (audit log) and attachments.

One ``Ticket`` row per submission, whatever the service: PPID request, objection (keberatan), SP4N-LAPOR report,
and later WBS reports and social-media messages. What differs per service lives in one-to-one detail models
(``layanan.ppid.models``) and in the service's state machine (``layanan.core.workflow``). A new service adds a
registry entry (``layanan.core.registry``), a detail model, a machine and a tracking-number prefix; the ticket
itself does not change.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core import registry
from layanan.core.crypto import EncryptedTextField, keyed_hash, mask_nik, normalise_nik
from layanan.core.deadlines import remaining_working_days, urgency

__all__ = ["Attachment", "Channel", "officer_name", "service_choices", "Ticket", "TimelineEntry", "TrackingCounter"]


def service_choices() -> list[tuple[str, str]]:
    """``[(code, label)]`` of the registered services (``layanan.core.registry``), in menu order: the choices of
    ``Ticket.service`` (a callable, so a service added by its package needs no migration here)."""
    return [(s.code, s.label) for s in registry.all_services()]


class Channel(models.TextChoices):
    """How a submission reached the body. Phone requests must be recorded (UU 14/2008 Pasal 22(3))."""

    WEB = "web", _("Website")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post / letter")
    SOCIAL_MEDIA = "social_media", _("Social media")


class Ticket(models.Model):
    """One submission to the desk, any service.

    Deadline fields (all re-derivable, see ``layanan.core.deadlines``): ``deadline_rule`` (``"ppid/answer"``),
    ``deadline_start`` (aware datetime the rule counts from; usually ``received_at``), ``deadline_days`` and
    ``deadline_unit`` (``working``/``calendar``, snapshotted from the rule), the one-off extension
    (``extended``, ``extension_days``, ``extension_reason``, ``extended_by``, ``extended_at``,
    ``extension_in_time``) and the derived
    ``counting_from`` (date, day 0, WIB), ``due_date`` (date, WIB) and ``deadline_explanation`` (Indonesian).

    Applicant: ``applicant_name``, ``applicant_email``, ``applicant_phone`` in clear (operators search them);
    NIK encrypted in ``applicant_nik`` with its HMAC in ``applicant_nik_hash`` for "same applicant" lookups.
    Services whose identity must itself be secret (WBS) keep these blank and store identity in their detail
    model, encrypted. The access token is stored only as ``access_token_hash`` (SHA-256, or a slow hash for
    receipt codes; up to 255 characters).
    """

    tracking_number = models.CharField(_("tracking number"), max_length=32, unique=True, editable=False)
    service = models.CharField(_("service"), max_length=20, choices=service_choices, db_index=True)
    status = models.CharField(_("status"), max_length=32, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    counting_from = models.DateField(_("counting from"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=64, blank=True)
    deadline_start = models.DateTimeField(_("deadline counted from"), null=True, blank=True)
    deadline_days = models.PositiveIntegerField(_("deadline days"), null=True, blank=True)
    deadline_unit = models.CharField(_("deadline unit"), max_length=16, blank=True, default="working")
    deadline_legal_source = models.CharField(_("legal source"), max_length=255, blank=True)
    deadline_explanation = models.TextField(_("deadline explanation"), blank=True)

    extended = models.BooleanField(_("extended"), default=False)
    extension_days = models.PositiveIntegerField(_("extension (days)"), null=True, blank=True)
    extension_legal_source = models.CharField(_("extension legal source"), max_length=255, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extension_in_time = models.BooleanField(
        _("extension taken in time"),
        null=True,
        blank=True,
        help_text=_(
            "Set by the extension step: the extension was given by the due date as the calendar stood then "
            "(UU 14/2008 Pasal 22(8)). A later change of the holidays does not undo it."
        ),
    )

    unit = models.ForeignKey(
        "home.Unit",
        verbose_name=_("unit (disposition)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    origin = models.ForeignKey(
        "self",
        verbose_name=_("originating ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_tickets",
        help_text=_("The ticket this one came from (e.g. a triaged social-media message or a transfer)."),
    )

    subject = models.CharField(_("subject"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    applicant_name = models.CharField(_("applicant name"), max_length=255, blank=True)
    applicant_email = models.EmailField(_("applicant e-mail"), blank=True)
    applicant_phone = models.CharField(_("applicant phone"), max_length=32, blank=True)
    applicant_nik = EncryptedTextField(_("NIK (encrypted)"), blank=True)
    applicant_nik_hash = models.CharField(_("NIK keyed hash"), max_length=64, blank=True, db_index=True)

    access_token_hash = models.CharField(max_length=255, blank=True, editable=False)

    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: When the retention task removed the personal data (``layanan.core.retention``); None: not yet.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Overdue / due-soon (open statuses per service + due_date range): reports, digest, desk filter.
            models.Index(fields=["service", "status", "due_date"]),
            # Desk lists, newest first (issue 9; EXPLAIN in docs/performance.md "Indexes"): a service's list
            # (PPID Utama), a unit's list (unit operator), either narrowed by status — read in index order, no sort.
            models.Index(fields=["service", "-received_at"], name="layanan_ticket_svc_recv"),
            models.Index(fields=["service", "status", "-received_at"], name="layanan_ticket_svc_st_recv"),
            models.Index(fields=["unit", "service", "-received_at"], name="layanan_ticket_unit_svc_recv"),
            # A unit operator's list narrowed by status (the most common desk filter): no bitmap-AND of the
            # unit and status indexes (EXPLAIN at 200k tickets: ~4 ms → ~0.3 ms for the count and the page).
            models.Index(fields=["unit", "service", "status", "-received_at"], name="layanan_ticket_unit_svc_st"),
        ]
        permissions = [
            ("view_personal_data", _("Can see personal data (NIK) unmasked")),
            ("handle_ppid", _("Handles every PPID request (PPID Utama)")),
            ("handle_unit_tickets", _("Handles tickets disposed to own unit (unit operator)")),
            ("decide_objection", _("Decides objections (Atasan PPID)")),
            ("handle_lapor", _("Handles SP4N-LAPOR reports (LAPOR admin)")),
            ("register_submission", _("Registers walk-in, phone and post submissions")),
            ("handle_wbs", _("Handles whistleblowing (WBS) reports (Inspektorat)")),
            ("handle_social", _("Triages social-media messages")),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} — {self.subject}"

    # --- personal data -------------------------------------------------------------------------------------
    def set_nik(self, value: str | None) -> None:
        """Store a NIK (normalised, encrypted) and its keyed hash; empty clears both."""
        nik = normalise_nik(value)
        self.applicant_nik = nik
        self.applicant_nik_hash = keyed_hash(nik) if nik else ""

    @property
    def nik_masked(self) -> str:
        """The NIK masked for display (``3171********0001``)."""
        return mask_nik(self.applicant_nik)

    def nik_for(self, user) -> str:
        """The NIK as ``user`` may see it: in clear with ``layanan.view_personal_data``, masked otherwise."""
        if user is not None and user.has_perm("layanan.view_personal_data"):
            return self.applicant_nik
        return self.nik_masked

    # --- workflow ------------------------------------------------------------------------------------------
    @property
    def machine(self):
        """The state machine of this ticket's service (``layanan.core.workflow.Machine``)."""
        return registry.get(self.service).machine

    @property
    def status_label(self) -> str:
        """Human label of the current status (Indonesian by default)."""
        return str(self.machine.state(self.status).label)

    @property
    def clock_running(self) -> bool:
        """True while the body still owes a step on the deadline (the ticket can be overdue)."""
        return self.machine.state(self.status).runs_clock

    def remaining_working_days(self, today: date | None = None) -> int | None:
        """Working days from ``today`` (WIB) to ``due_date``; negative when overdue, None without due date."""
        return remaining_working_days(self, today)

    def urgency(self, today: date | None = None) -> str:
        """``"overdue"``, ``"due_soon"`` (≤ ``PESAN_DUE_SOON_WD`` WD), ``"ok"`` or ``"stopped"`` (clock off)."""
        return urgency(self, today)


class TrackingCounter(models.Model):
    """Last tracking number issued per (prefix, year); locked with SELECT … FOR UPDATE when incremented."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="layanan_counter_prefix_year")]
        verbose_name = _("tracking-number counter")

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class TimelineEntry(models.Model):
    """One line of a ticket's audit log: who did what, when, from which status to which, with what note.

    ``actor_kind`` is ``user`` (``actor`` set), ``applicant`` or ``system``. Only entries with
    ``visible_to_applicant`` reach the public status endpoint; internal notes never do. ``data`` keeps the
    structured inputs of the step (e.g. outcome, Pasal 17 ground, old/new due date). Services whose machine is
    ``confidential`` (WBS) keep the note encrypted in ``note_sealed`` and ``note`` empty: read :attr:`text`.
    """

    class ActorKind(models.TextChoices):
        USER = "user", _("Officer")
        APPLICANT = "applicant", _("Applicant")
        SYSTEM = "system", _("System")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_kind = models.CharField(_("actor"), max_length=16, choices=ActorKind.choices, default=ActorKind.SYSTEM)
    #: The officer's name when the step was taken: kept when the account is later deleted (issue 15).
    actor_name = models.CharField(_("officer's name"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from status"), max_length=32, blank=True)
    to_status = models.CharField(_("to status"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_sealed = EncryptedTextField(
        _("note (encrypted)"),
        blank=True,
        help_text=_("The note of a confidential service (WBS), encrypted at rest instead of ``note``."),
    )
    visible_to_applicant = models.BooleanField(_("visible to applicant"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def actor_display(self) -> str:
        """Who took the step, for the desk: the officer's name (kept on the entry, so a deleted account still
        shows who acted), else the kind of actor ("Applicant", "System")."""
        if self.actor_name:
            return self.actor_name
        if self.actor_id and self.actor is not None:
            return officer_name(self.actor)
        return str(self.get_actor_kind_display())

    @property
    def text(self) -> str:
        """The note as people read it: the clear ``note`` or, for confidential services, ``note_sealed``."""
        return self.note_sealed or self.note

    @property
    def action_label(self) -> str:
        """Label of the action (from the ticket's machine; ``received`` etc. for system steps)."""
        return str(registry.action_label(self.ticket.service, self.action))

    @property
    def to_status_label(self) -> str:
        if not self.to_status:
            return ""
        return str(registry.get(self.ticket.service).machine.state(self.to_status).label)


class _PrivateStorage(Storage):
    """Delegates every use to ``STORAGES["private"]``, looked up each time (so a settings change applies)."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        from django.core.files.storage import storages

        return getattr(storages["private"], name)


def private_storage() -> Storage:
    """The storage of attachments and evidence: ``STORAGES["private"]`` (outside MEDIA_ROOT, never public)."""
    return _PrivateStorage()


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """Generated storage name: ``layanan/<year>/<month>/<uuid>.<ext>``; the uploaded name is never used."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    now = timezone.localtime()
    return f"layanan/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"


def officer_name(user) -> str:
    """``user``'s full name, else the username ("" for None)."""
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username() or "").strip()[:255]


class Attachment(models.Model):
    """A file on a ticket. ``content_type`` is sniffed from the bytes (``filetype``), ``size`` in bytes.

    ``visible_to_applicant``: released to the applicant (public status endpoint); applicants' own uploads are
    visible to them. ``uploaded_by`` is the officer, None when the applicant uploaded it.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    timeline_entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    visible_to_applicant = models.BooleanField(_("visible to applicant"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    purpose = models.CharField(_("purpose"), max_length=32, blank=True, help_text=_("e.g. power_of_attorney"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ServiceManager(models.Manager):
    service: str = ""

    def get_queryset(self):
        return super().get_queryset().filter(service=self.service)


def service_manager(service: str) -> models.Manager:
    return type(f"{service.title()}Manager", (ServiceManager,), {"service": service})()
