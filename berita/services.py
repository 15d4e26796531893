"""The news import as service functions: the admin, the schedule, the command, the demo and tests call these.

- ``run_import(source)``: fetch → upsert candidates → apply rules → download their images → auto-approve;
  records an ``ImportRun``. Images are downloaded here (the django-q2 task), so approving makes no request.
- ``upsert_candidate(source, article)``: one article, one candidate (de-duplicated on canonical URL and GUID).
- ``apply_rules(candidate)``: the first matching ``ImportRule`` decides (``berita.matching``).
- ``approve(candidate, user)`` / ``reject(candidate, user)``: the editor's decisions.
"""

import hashlib
import logging
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Site

from berita.body import body_parts, stream_data
from berita.images import fetch_candidate_images, images_missing
from berita.importers import SourceError, build_session, get_adapter
from berita.importers.base import NormalisedArticle
from berita.matching import match_article
from berita.models import (
    ImportedArticle,
    ImportRule,
    ImportRun,
    ImportSource,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsSettings,
)

logger = logging.getLogger(__name__)
SOURCE_STATUS_FIELDS = ["last_run_at", "last_success_at", "last_error", "last_published_at"]


class ApprovalError(Exception):
    """Approval impossible (e.g. no news index page); the message is user-facing."""


@dataclass
class UpsertResult:
    candidate: ImportedArticle
    outcome: str  # "new" | "updated" | "skipped"


# --- candidates -------------------------------------------------------------------------------------------


#: Candidate fields an editor may change before approving; a later import of the same article keeps such a change.
EDITOR_FIELDS = ("title", "lead")


def _find_existing(source: ImportSource, article: NormalisedArticle) -> ImportedArticle | None:
    """The candidate ``article`` already is: the same normalised canonical URL (any source) or the same GUID (same
    source). The slug is no identity: it is the last segment of the address, which different articles share
    (``berita.php?id=101`` and ``?id=102``, ``…/index.html``, ``…/amp/``)."""
    query = Q(canonical_url=article.canonical_url) | Q(source=source, guid=article.guid)
    return ImportedArticle.objects.filter(query).order_by("pk").first()


def _free_slug(source: ImportSource, article: NormalisedArticle) -> str:
    """``article.slug``, or — when another candidate of ``source`` has it — the slug with eight characters of its
    address's hash, so that two articles whose addresses end alike are two candidates."""
    slug = article.slug
    if not slug or not ImportedArticle.objects.filter(source=source, slug=slug).exists():
        return slug
    digest = hashlib.sha256(article.canonical_url.encode()).hexdigest()[:8]
    return f"{slug[:246]}-{digest}"


def untangle_shared_guids(articles: list[NormalisedArticle]) -> list[NormalisedArticle]:
    """``articles`` of one fetch, where a GUID given to several articles with different addresses (a feed that
    puts its home page in every ``<guid>``) is replaced by each article's canonical URL: such a GUID names no
    article, and matching on it would merge them into one candidate."""
    addresses: dict[str, set[str]] = {}
    for article in articles:
        addresses.setdefault(article.guid, set()).add(article.canonical_url)
    shared = {guid for guid, urls in addresses.items() if len(urls) > 1}
    if not shared:
        return articles
    return [replace(a, guid=a.canonical_url[:500]) if a.guid in shared else a for a in articles]


def _content_fields(article: NormalisedArticle) -> dict:
    return {
        "title": article.title,
        "published_at": article.published_at,
        "author": article.author,
        "categories": article.categories,
        "tags": article.tags,
        "image_url": article.image_url,
        "lead": article.lead,
        "body_html": article.body_html,
        # what this import wrote into the fields an editor may change, to tell an editor's change from the source's
        "raw": {
            "item": article.raw,
            "body": article.raw_body,
            "imported": {"title": article.title, "lead": article.lead},
        },
        "content_hash": article.content_hash(),
    }


def upsert_candidate(source: ImportSource, article: NormalisedArticle) -> UpsertResult:
    """Create or update the candidate for ``article``; never a duplicate.

    The same article is recognised by its normalised canonical URL (any source), or its GUID (same source);
    a slug already taken gets a suffix (:func:`_free_slug`). Unchanged content (same hash) is ``skipped``; a
    candidate first seen from another source is only touched. Pending candidates are re-matched against the
    rules when their content changes. Concurrent imports are safe: the unique constraints reject a second
    insert, which is then treated as an update.
    """
    now = timezone.now()
    for _attempt in range(2):
        existing = _find_existing(source, article)
        if existing is not None:
            with transaction.atomic():
                existing = ImportedArticle.objects.select_for_update().get(pk=existing.pk)
                fields = _content_fields(article)
                if existing.source_id != source.pk or existing.content_hash == fields["content_hash"]:
                    existing.last_seen = now
                    existing.save(update_fields=["last_seen"])
                    return UpsertResult(existing, "skipped")
                if fields["image_url"] != existing.image_url:
                    existing.image, existing.image_error = None, ""  # a new feature image: fetched again
                imported_before = (existing.raw or {}).get("imported") or {}
                for name in EDITOR_FIELDS:  # an editor's title or lead stays; the source's new text is in raw
                    if name in imported_before and getattr(existing, name) != imported_before[name]:
                        fields[name] = getattr(existing, name)
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.last_seen = now
                existing.save()
                if existing.status == ImportedArticle.Status.PENDING and existing.decided_by_id is None:
                    apply_rules(existing)
                return UpsertResult(existing, "updated")
        try:
            with transaction.atomic():
                candidate = ImportedArticle.objects.create(
                    source=source,
                    guid=article.guid,
                    canonical_url=article.canonical_url,
                    slug=_free_slug(source, article),
                    last_seen=now,
                    **_content_fields(article),
                )
                apply_rules(candidate)
                return UpsertResult(candidate, "new")
        except IntegrityError:
            continue  # another import inserted it meanwhile: update that one instead
    raise IntegrityError("could not store candidate")  # pragma: no cover - needs two races in a row


def apply_rules(candidate: ImportedArticle, rules=None) -> ImportRule | None:
    """Match ``candidate`` (pending only) against the enabled rules and record the outcome.

    ``suggest`` keeps it pending with the rule and reason; ``reject`` rejects it; ``auto_approve`` only marks
    it here — ``run_import`` approves it afterwards (so the image download happens outside this transaction).
    Returns the matched rule or ``None`` (rule and reason cleared).
    """
    if candidate.status != ImportedArticle.Status.PENDING:
        return candidate.matched_rule
    if rules is None:
        rules = list(ImportRule.objects.filter(enabled=True).filter(Q(source=None) | Q(source=candidate.source_id)))
    match = match_article(candidate, rules, candidate.source)
    candidate.matched_rule = match.rule if match else None
    candidate.match_reason = match.reason if match else ""
    candidate.target_category = match.rule.target_category if match else None
    fields = ["matched_rule", "match_reason", "target_category"]
    if match and match.rule.action == ImportRule.Action.REJECT:
        candidate.status = ImportedArticle.Status.REJECTED
        candidate.decided_at = timezone.now()
        fields += ["status", "decided_at"]
    candidate.save(update_fields=fields)
    return candidate.matched_rule


# --- runs ---------------------------------------------------------------------------------------------------


def run_import(source: ImportSource, *, session=None, trigger: str = "manual") -> ImportRun:
    """Import ``source`` once and return the finished ``ImportRun``. Never raises for source problems.

    Network failures, timeouts, HTTP errors, non-feed responses, malformed XML/JSON and wrong encodings are
    recorded on the run (``error``, status failed/warning) and on the source (``last_error``); earlier
    candidates and pages are never touched by a failed run. ``session`` (a ``requests.Session``) is
    injectable; by default a new one with PESAN's User-Agent.
    """
    session = session or build_session()
    run = ImportRun.objects.create(source=source, trigger=trigger)
    log: list[str] = []
    error = ""
    newest = source.last_published_at
    try:
        outcome = get_adapter(source, session).fetch()
    except SourceError as exc:
        outcome, error = None, str(exc)
    except Exception as exc:  # a bug or a surprise in the data must not kill the worker
        logger.exception("News import of %s failed", source)
        outcome, error = None, _("Unexpected error: %(error)s") % {"error": exc}
    auto_approve: list[ImportedArticle] = []
    if outcome is not None:
        run.fetched = len(outcome.articles) + len(outcome.failures)
        log.extend(outcome.notes)
        for url, message in outcome.failures:
            run.failed += 1
            log.append(f"{url}: {message}")
        for article in untangle_shared_guids(outcome.articles):
            try:
                result = upsert_candidate(source, article)
            except Exception as exc:
                logger.exception("Storing %s failed", article.canonical_url)
                run.failed += 1
                log.append(f"{article.canonical_url}: {exc}")
                continue
            setattr(run, result.outcome, getattr(run, result.outcome) + 1)
            candidate = result.candidate
            if (
                result.outcome != "skipped"
                and candidate.status != ImportedArticle.Status.REJECTED
                and not candidate.news_page_id
            ):
                try:
                    fetch_candidate_images(candidate, session)
                except Exception as exc:  # the article is stored; approving fetches what is missing
                    logger.exception("Images of %s failed", article.canonical_url)
                    log.append(f"{article.canonical_url}: {exc}")
            if article.published_at and (newest is None or article.published_at > newest):
                newest = article.published_at
            rule = candidate.matched_rule
            if (
                rule is not None
                and rule.action == ImportRule.Action.AUTO_APPROVE
                and candidate.status == ImportedArticle.Status.PENDING
            ):
                auto_approve.append(candidate)
        for candidate in auto_approve:
            try:
                approve(candidate, None, session=session)
            except Exception as exc:
                logger.exception("Auto-approval of %s failed", candidate.canonical_url)
                log.append(
                    _("Automatic approval of “%(title)s” failed: %(error)s") % {"title": candidate, "error": exc}
                )
        if not error:
            if outcome.warning:
                error = outcome.warning
            elif run.failed:
                error = _("%(count)s article(s) could not be read; see the run log.") % {"count": run.failed}
    now = timezone.now()
    if outcome is None:
        run.status = ImportRun.Status.FAILED
    elif error:
        run.status = ImportRun.Status.WARNING
    else:
        run.status = ImportRun.Status.SUCCESS
    run.error = error
    run.log = "\n".join(log)
    run.finished_at = now
    run.save()
    source.last_run_at = now
    source.last_error = error
    if outcome is not None:
        source.last_success_at = now
        source.last_published_at = newest
    ImportSource.objects.filter(pk=source.pk).update(**{f: getattr(source, f) for f in SOURCE_STATUS_FIELDS})
    return run


def adhoc_source(url: str, kind: str) -> ImportSource:
    """The (disabled, unscheduled) source for a one-off ``import_news --url URL --kind KIND``; reused."""
    source = ImportSource.objects.filter(feed_url=url, kind=kind).first()
    if source:
        return source
    from urllib.parse import urlsplit  # noqa: PLC0415

    base = f"{urlsplit(url).hostname or 'source'} ({kind})"
    name, n = base, 1
    while ImportSource.objects.filter(name=name).exists():
        n += 1
        name = f"{base} {n}"
    return ImportSource.objects.create(name=name, kind=kind, feed_url=url, enabled=False)


# --- decisions ----------------------------------------------------------------------------------------------


def news_index_for(site: Site | None = None) -> NewsIndexPage | None:
    """The news index of ``site`` (default: the default site), or the first one anywhere."""
    site = site or Site.objects.filter(is_default_site=True).first()
    qs = NewsIndexPage.objects.all()
    if site:
        in_site = qs.descendant_of(site.root_page, inclusive=True).first()
        if in_site:
            return in_site
    return qs.first()


def _categories_for(candidate: ImportedArticle) -> list[NewsCategory]:
    found: dict[int, NewsCategory] = {}
    source = candidate.source
    if candidate.target_category_id:
        found[candidate.target_category_id] = candidate.target_category
    if source and source.default_category_id:
        found[source.default_category_id] = source.default_category
    mapping = (source.category_mapping if source and isinstance(source.category_mapping, dict) else {}) or {}
    lowered = {str(k).casefold(): v for k, v in mapping.items()}
    for name in candidate.categories or []:
        slug = lowered.get(name.casefold())
        cat = (
            NewsCategory.objects.filter(slug=slug).first()
            if slug
            else NewsCategory.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name, allow_unicode=True))).first()
        )
        if cat:
            found[cat.pk] = cat
    return list(found.values())


def _unique_slug(parent, base: str) -> str:
    base = (slugify(base, allow_unicode=True) or "berita")[:240]
    slug, n = base, 1
    siblings = parent.get_children()
    while siblings.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def approve(candidate: ImportedArticle, user=None, *, session=None, publish: bool | None = None) -> NewsPage:
    """Approve ``candidate``: create its NewsPage under the news index and return it.

    The page is left as a draft when ``NewsSettings.require_review`` is on (the default), else published
    (``publish`` overrides the setting). The source is credited (``source_name``, ``source_url`` = canonical
    URL). The images were downloaded by the import: the body becomes rich-text paragraphs and image blocks
    (``berita.body``), images that could not be kept are left out (they stay listed on the candidate). Only a
    candidate imported before images were fetched at import time has them fetched here. Approving an already
    approved/published candidate returns its page. Raises ``ApprovalError`` when there is no news index page.
    ``user`` may be ``None`` (rules, demo).
    """
    if candidate.news_page_id:
        return candidate.news_page
    index = news_index_for()
    if index is None:
        raise ApprovalError(_("There is no news index page to publish under; create one first."))
    if publish is None:
        site = index.get_site() or Site.objects.filter(is_default_site=True).first()
        publish = not (site and NewsSettings.for_site(site).require_review)
    if images_missing(candidate):
        fetch_candidate_images(candidate, session or build_session())
    body = stream_data(body_parts(candidate.body_html, candidate.body_images))
    with transaction.atomic():
        locked = ImportedArticle.objects.select_for_update().get(pk=candidate.pk)
        if locked.news_page_id:
            return locked.news_page
        page = NewsPage(
            title=candidate.title[:255],
            slug=_unique_slug(index, candidate.slug or candidate.title),
            date=candidate.published_at or timezone.now(),
            lead=candidate.lead,
            body=body,
            feature_image=candidate.image,
            source_name=candidate.source.credit if candidate.source else "",
            source_url=candidate.canonical_url,
            owner=user,
            live=False,
        )
        page.categories.set(_categories_for(candidate))
        page.tags.set([t[:100] for t in candidate.tags or []])
        index.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user, skip_permission_checks=True)  # approval is the permission
        candidate.news_page = page
        candidate.status = ImportedArticle.Status.PUBLISHED if publish else ImportedArticle.Status.APPROVED
        candidate.decided_by = user
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["news_page", "status", "decided_by", "decided_at", "last_seen"])
    return NewsPage.objects.get(pk=page.pk)


def reject(candidate: ImportedArticle, user=None) -> ImportedArticle:
    """Reject ``candidate`` (kept in the queue, never imported again as new). A published page is unpublished."""
    with transaction.atomic():
        candidate = ImportedArticle.objects.select_for_update().get(pk=candidate.pk)
        if candidate.news_page_id and candidate.news_page.live:
            candidate.news_page.unpublish(user=user)
        candidate.status = ImportedArticle.Status.REJECTED
        candidate.decided_by = user
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate
