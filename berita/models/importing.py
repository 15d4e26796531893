"""News import: sources, rules, the candidate queue and the record of every run.

The rules themselves (fetching, cleaning, matching, approving) live in ``berita.importers``,
``berita.cleaning``, ``berita.matching`` and ``berita.services``; these models only hold data.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from berita import conf

HTML_SELECTOR_KEYS = ("item_link", "title", "date", "body", "image", "categories", "tags", "author", "next_page")


class ImportSource(models.Model):
    """A website the news is imported from; adding one of any kind needs no code.

    - ``kind``: ``wordpress`` (``<base_url>/wp-json/wp/v2/posts?_embed``, or ``feed_url`` when set),
      ``rss`` / ``atom`` (``feed_url``), ``html`` (``feed_url`` = the listing page; CSS ``selectors``).
    - ``schedule_cron`` (5-field cron, WIB) wins over ``schedule_minutes`` (interval in minutes).
    - ``category_mapping``: ``{"source category name": "<news category slug>"}``; ``default_category`` is added
      to every article approved from this source.
    - ``selectors`` (html only): CSS selectors, keys ``item_link`` (listing → detail links), ``title``, ``date``,
      ``body``, ``image``, ``categories``, ``tags``, ``next_page``; missing keys fall back to page metadata
      (``og:title``, ``article:published_time``, ``og:image``, ``<link rel=canonical>``).
    - ``timeout`` seconds per request, ``max_items`` per run, ``max_pages`` listing/API pages per run.
    """

    class Kind(models.TextChoices):
        WORDPRESS = "wordpress", _("WordPress REST API")
        RSS = "rss", _("RSS feed")
        ATOM = "atom", _("Atom feed")
        HTML = "html", _("HTML pages (CSS selectors)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    credit_name = models.CharField(
        _("credit name"),
        max_length=255,
        blank=True,
        help_text=_("Shown on published news as the source, e.g. 'Kemenko Marves'. Empty: the source name."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RSS)
    base_url = models.URLField(_("base URL"), max_length=500, blank=True, help_text=_("e.g. https://maritim.go.id"))
    feed_url = models.URLField(
        _("feed / listing URL"),
        max_length=500,
        blank=True,
        help_text=_("RSS/Atom feed, HTML listing page, or a WordPress posts endpoint (optional for WordPress)."),
    )
    enabled = models.BooleanField(_("enabled (scheduled)"), default=True)
    schedule_cron = models.CharField(
        _("schedule (cron)"), max_length=100, blank=True, help_text=_("e.g. '0 */2 * * *'. Empty: use the interval.")
    )
    schedule_minutes = models.PositiveIntegerField(_("interval (minutes)"), default=60)
    default_category = models.ForeignKey(
        "berita.NewsCategory",
        verbose_name=_("default category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category_mapping = models.JSONField(
        _("category mapping"),
        default=dict,
        blank=True,
        help_text=_('Source category → news category slug, e.g. {"Siaran Pers": "siaran-pers"}.'),
    )
    selectors = models.JSONField(
        _("HTML selectors"),
        default=dict,
        blank=True,
        help_text=_(
            "CSS selectors for HTML sources: item_link, title, date, body, image, categories, tags, author, next_page."
        ),
    )
    timeout = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=conf.default_timeout)
    max_items = models.PositiveIntegerField(_("maximum articles per run"), default=50)
    max_pages = models.PositiveSmallIntegerField(_("maximum pages per run"), default=3)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_published_at = models.DateTimeField(
        _("newest article seen"), null=True, blank=True, editable=False, help_text=_("Used for incremental imports.")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("credit_name"), FieldPanel("kind"), FieldPanel("base_url")],
            heading=_("Source"),
        ),
        FieldPanel("feed_url"),
        MultiFieldPanel(
            [FieldPanel("enabled"), FieldPanel("schedule_cron"), FieldPanel("schedule_minutes")],
            heading=_("Schedule"),
        ),
        MultiFieldPanel([FieldPanel("default_category"), FieldPanel("category_mapping")], heading=_("Categories")),
        FieldPanel("selectors"),
        MultiFieldPanel([FieldPanel("timeout"), FieldPanel("max_items"), FieldPanel("max_pages")], heading=_("Limits")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")

    def __str__(self) -> str:
        return self.name

    @property
    def credit(self) -> str:
        """Name credited on published pages."""
        return self.credit_name or self.name

    @property
    def trusted_hosts(self) -> list[str]:
        """Hosts of the URLs an administrator typed in (feed/listing and base URL); image downloads may reach
        them on any address (``berita.importers.http.public_only``)."""
        return [h for h in (urlsplit(u).hostname for u in (self.feed_url, self.base_url) if u) if h]

    @property
    def fetch_url(self) -> str:
        """The first URL an import requests (feed, listing page or WordPress posts endpoint)."""
        if self.feed_url:
            return self.feed_url
        if self.kind == self.Kind.WORDPRESS and self.base_url:
            return self.base_url.rstrip("/") + "/wp-json/wp/v2/posts"
        return self.base_url

    def clean(self):
        """Validate per kind; raises ValidationError with per-field messages."""
        errors = {}
        if self.kind == self.Kind.WORDPRESS:
            if not (self.base_url or self.feed_url):
                errors["base_url"] = _("A WordPress source needs a base URL.")
        elif not self.feed_url:
            errors["feed_url"] = _("This kind of source needs a feed or listing URL.")
        if self.kind == self.Kind.HTML:
            selectors = self.selectors if isinstance(self.selectors, dict) else None
            if selectors is None:
                errors["selectors"] = _("Selectors must be a JSON object.")
            else:
                unknown = set(selectors) - set(HTML_SELECTOR_KEYS) - {"date_format"}
                if unknown:
                    errors["selectors"] = _("Unknown selector keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
                elif not selectors.get("item_link"):
                    errors["selectors"] = _("An HTML source needs at least the 'item_link' selector.")
        if not isinstance(self.category_mapping, dict):
            errors["category_mapping"] = _("The category mapping must be a JSON object.")
        if self.schedule_cron:
            from django_q.models import validate_cron  # noqa: PLC0415

            try:
                validate_cron(self.schedule_cron)
            except (ValidationError, ValueError, KeyError, TypeError):
                errors["schedule_cron"] = _("Not a valid cron expression (five fields, e.g. '0 */2 * * *').")
        if not self.schedule_cron and self.schedule_minutes < 5:
            errors["schedule_minutes"] = _("The interval must be at least 5 minutes.")
        if errors:
            raise ValidationError(errors)


class ImportRule(models.Model):
    """A rule that sorts imported candidates by source category and/or keywords.

    A rule matches an article when every criterion it has matches: ``categories`` (any of the listed source
    categories, one per line or comma-separated) and ``keywords`` (any keyword or phrase, whole-word, case- and
    accent-insensitive, looked for in the title, body and/or tags as ticked). Rules are tried by ``order``;
    the first match decides: ``suggest`` (stays pending, marked), ``auto_approve`` (approved automatically: a
    draft for review, or published when the site's news settings do not require review) or ``reject``.
    ``target_category`` is given to the page on approval.
    """

    class Action(models.TextChoices):
        SUGGEST = "suggest", _("Suggest (editor decides)")
        AUTO_APPROVE = "auto_approve", _("Approve automatically")
        REJECT = "reject", _("Reject")

    name = models.CharField(_("name"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    source = models.ForeignKey(
        ImportSource,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text=_("Empty: applies to every source."),
    )
    categories = models.TextField(
        _("source categories"), blank=True, help_text=_("One per line or comma-separated; any of them matches.")
    )
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("One per line or comma-separated; whole words or phrases.")
    )
    match_title = models.BooleanField(_("look in title"), default=True)
    match_body = models.BooleanField(_("look in body"), default=True)
    match_tags = models.BooleanField(_("look in tags"), default=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, default=Action.SUGGEST)
    target_category = models.ForeignKey(
        "berita.NewsCategory",
        verbose_name=_("target category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("enabled"), FieldPanel("order"), FieldPanel("source")]),
        MultiFieldPanel(
            [
                FieldPanel("categories"),
                FieldPanel("keywords"),
                FieldPanel("match_title"),
                FieldPanel("match_body"),
                FieldPanel("match_tags"),
            ],
            heading=_("Match"),
        ),
        MultiFieldPanel([FieldPanel("action"), FieldPanel("target_category")], heading=_("Then")),
    ]

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("import rule")
        verbose_name_plural = _("import rules")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def split_terms(value: str) -> list[str]:
        """Split a newline/comma separated list, dropping blanks."""
        return [t.strip() for chunk in (value or "").splitlines() for t in chunk.split(",") if t.strip()]

    @property
    def category_terms(self) -> list[str]:
        return self.split_terms(self.categories)

    @property
    def keyword_terms(self) -> list[str]:
        return self.split_terms(self.keywords)

    def clean(self):
        """A rule needs at least one criterion, and keywords need somewhere to look."""
        errors = {}
        if not self.category_terms and not self.keyword_terms:
            errors["keywords"] = _("Give source categories, keywords, or both.")
        if self.keyword_terms and not (self.match_title or self.match_body or self.match_tags):
            errors["match_title"] = _("Tick at least one place to look for the keywords.")
        if errors:
            raise ValidationError(errors)


class ImportedArticle(models.Model):
    """A candidate article from an import, waiting for an editor (or a rule) to decide.

    One article is one candidate: unique per source on ``guid`` and ``slug``, and unique on the normalised
    ``canonical_url`` across sources. ``raw`` keeps what the source sent (including the raw body);
    the other content fields hold the cleaned, normalised values. ``published_at`` is aware (UTC in the
    database, WIB when shown). The images are downloaded by the import (the django-q2 task), not on approval:
    ``image`` / ``image_error`` for the feature image, ``body_images`` for the body's inline images,
    ``[{"src": url, "alt": text, "image": <wagtail image pk> | null, "error": "why it was not kept"}]`` in body
    order (``berita.images.fetch_candidate_images``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved (draft)")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")

    source = models.ForeignKey(
        ImportSource, verbose_name=_("source"), null=True, on_delete=models.SET_NULL, related_name="articles"
    )
    guid = models.CharField(_("source GUID"), max_length=500)
    canonical_url = models.URLField(_("canonical URL"), max_length=1000)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    title = models.CharField(_("title"), max_length=500)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    categories = models.JSONField(_("source categories"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    image_url = models.URLField(_("image URL"), max_length=1000, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body_html = models.TextField(_("cleaned body"), blank=True)
    raw = models.JSONField(_("raw data"), default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    matched_rule = models.ForeignKey(
        ImportRule, verbose_name=_("matched rule"), null=True, blank=True, on_delete=models.SET_NULL
    )
    match_reason = models.TextField(_("why"), blank=True)
    target_category = models.ForeignKey(
        "berita.NewsCategory",
        verbose_name=_("target category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    news_page = models.ForeignKey(
        "berita.NewsPage",
        verbose_name=_("news page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_error = models.TextField(_("image error"), blank=True)
    body_images = models.JSONField(_("images in the body"), default=list, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("imported article")
        verbose_name_plural = _("imported articles")
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="berita_import_unique_source_guid"),
            models.UniqueConstraint(fields=["canonical_url"], name="berita_import_unique_canonical_url"),
            models.UniqueConstraint(
                fields=["source", "slug"], condition=~models.Q(slug=""), name="berita_import_unique_source_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_categories_display(self) -> str:
        """The source's categories as one line: ``Berita, Investasi``."""
        return ", ".join(self.categories or [])

    source_categories_display.fget.short_description = _("source categories")

    @property
    def dropped_images(self) -> list[dict]:
        """The images that will not be on the page: ``[{"src", "error"}]`` (feature image first)."""
        dropped = [{"src": self.image_url, "error": self.image_error}] if self.image_error else []
        return dropped + [e for e in self.body_images or [] if e.get("error")]


class ImportRun(models.Model):
    """One run of an import (scheduled, manual or from the command line), with its counts and error."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCESS = "success", _("Success")
        WARNING = "warning", _("Finished with warnings")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(
        ImportSource, verbose_name=_("source"), null=True, on_delete=models.SET_NULL, related_name="runs"
    )
    trigger = models.CharField(_("trigger"), max_length=20, default="manual")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    fetched = models.PositiveIntegerField(_("fetched"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    log = models.TextField(_("log"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.source or '-'} @ {self.started_at:%Y-%m-%d %H:%M}"

    def summary(self) -> str:
        """One line: ``fetched=6 new=6 updated=0 skipped=0 failed=0``."""
        return (
            f"fetched={self.fetched} new={self.new} updated={self.updated} skipped={self.skipped} failed={self.failed}"
        )
