"""The rating form of the status page (the satisfaction survey of PermenPANRB 14/2017).

Its fields and first checks are those of the API's ``RatingSerializer`` (``layanan.site.forms.ServiceForm``:
fields from the serializer, validation by it, the honeypot); it stores through the same core function as the
API (``layanan.core.ratings.submit_rating``). Each element is a fieldset (legend: the element's name, its
question under it) of four radio buttons labelled in words (``SCORES``: not good … very good), value 1–4.

Stable names for people and tests: the form ``#rating-form``, one ``group`` per element named by its label,
radio ``name`` = the element code (``requirements`` … ``facilities``) with ``value`` 1–4 and id
``id_rating_<code>_<value>``, the comment ``#id_rating_comment``, the button "Send my rating".
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError

from layanan.api.rating_views import RatingSerializer
from layanan.core.models.ratings import COMMENT_MAX_LENGTH, ELEMENTS, SCORES
from layanan.core.ratings import submit_rating
from layanan.site.forms import ServiceForm

__all__ = ["RatingForm"]


class ScaleRadioSelect(forms.RadioSelect):
    """Radio buttons whose ids end with the score (``id_rating_cost_4``), not with a 0-based position."""

    def id_for_label(self, id_, index=None):
        if id_ and index is not None:
            return f"{id_}_{int(index) + 1}"
        return super().id_for_label(id_, index)


class RatingForm(ServiceForm):
    """The nine scores and the optional comment; ``save(ticket)`` stores the rating or returns None with the
    errors in the form; raises ``layanan.core.ratings.RatingRefused`` when the ticket cannot be rated (any more)."""

    serializer_class = RatingSerializer
    exclude = ("token",)
    field_order = [e.code for e in ELEMENTS] + ["comment"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_rating_%s")
        super().__init__(*args, **kwargs)
        for item in ELEMENTS:
            field = self.fields[item.code]
            field.choices = [(str(value), label) for value, label in SCORES]
            field.widget = ScaleRadioSelect(choices=field.choices)
            field.help_text = item.question
        self.fields["comment"].widget.attrs.update({"rows": 3, "maxlength": self.comment_max_length})

    @property
    def comment_max_length(self) -> int:
        """Longest comment, in characters (``COMMENT_MAX_LENGTH``)."""
        return COMMENT_MAX_LENGTH

    @property
    def score_fields(self):
        """The bound fields of the nine elements, in the regulation's order."""
        return [self[item.code] for item in ELEMENTS]

    def save(self, ticket):
        """Store the rating of ``ticket`` (``submit_rating``: one transaction). ``None`` on field errors."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return submit_rating(ticket, {e.code: data.get(e.code) for e in ELEMENTS}, data.get("comment") or "")
        except DjangoValidationError as exc:
            self._add_errors(exc.message_dict)
            return None
