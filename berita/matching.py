"""Matching imported articles against ``ImportRule``: one plain function for the import and the admin.

Keywords match whole words or phrases, case- and accent-insensitively (Unicode NFKD, combining marks removed,
case-folded, punctuation treated as spaces): "ppid" matches "PPID," and "Kafé" matches "kafe", but "PPID"
does not match "PPIDX". Source categories compare the same way, as whole names.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from berita.cleaning import html_to_text


def normalise_text(value: str) -> str:
    """Fold ``value`` for comparison: no accents, case-folded, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\W_]+", stripped.casefold(), flags=re.UNICODE)).strip()


def contains_term(haystack_normalised: str, term: str) -> bool:
    """Whole-word/phrase test of ``term`` inside an already normalised text."""
    needle = normalise_text(term)
    return bool(needle) and f" {needle} " in f" {haystack_normalised} "


@dataclass
class RuleMatch:
    """The first rule that matched and the human-readable reason (in the active language)."""

    rule: object
    reason: str


def match_rule(rule, *, title: str, body_text: str, categories: list[str], tags: list[str]) -> str | None:
    """Return why ``rule`` matches the article, or ``None``. Every criterion the rule has must match."""
    reasons = []
    wanted = rule.category_terms
    if wanted:
        have = {normalise_text(c) for c in categories}
        hits = [c for c in wanted if normalise_text(c) in have]
        if not hits:
            return None
        reasons.append(_("source category %(names)s") % {"names": ", ".join(f"“{c}”" for c in hits)})
    keywords = rule.keyword_terms
    if keywords:
        places = []
        if rule.match_title:
            places.append((_("title"), normalise_text(title)))
        if rule.match_body:
            places.append((_("body"), normalise_text(body_text)))
        if rule.match_tags:
            places.append((_("tags"), " | ".join(normalise_text(t) for t in tags)))
        found = []
        for keyword in keywords:
            where = [label for label, text in places if contains_term(text, keyword)]
            if where:
                found.append(_("keyword “%(keyword)s” in %(where)s") % {"keyword": keyword, "where": ", ".join(where)})
        if not found:
            return None
        reasons.extend(found)
    return "; ".join(reasons) if reasons else None


def match_article(article, rules, source=None) -> RuleMatch | None:
    """The first enabled rule (by ``order``) that matches ``article``, or ``None``.

    ``article`` is anything with ``title``, ``categories``, ``tags``, ``lead`` and ``body_html`` (a
    ``NormalisedArticle`` or an ``ImportedArticle``); "the body" is the lead and the body (the importer takes
    the first paragraph out of the body into the lead). Rules bound to another source are skipped.
    """
    body_text = " ".join(filter(None, [getattr(article, "lead", ""), html_to_text(article.body_html)]))
    source_id = getattr(source, "pk", None)
    for rule in sorted(rules, key=lambda r: (r.order, r.pk or 0)):
        if not rule.enabled or (rule.source_id and rule.source_id != source_id):
            continue
        reason = match_rule(
            rule, title=article.title, body_text=body_text, categories=article.categories, tags=article.tags
        )
        if reason:
            return RuleMatch(rule=rule, reason=_("Rule “%(rule)s”: %(reason)s") % {"rule": rule.name, "reason": reason})
    return None
