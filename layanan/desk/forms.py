"""Forms of the operator desk: action forms built from the workflow's input specs, and registration forms
for walk-in / phone / post / e-mail submissions (validated with the same validators as the public API)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from layanan.core.forms import MultipleUploadField
from layanan.core.workflow import Transition


class OfficerChoiceField(forms.ModelChoiceField):
    """An officer shown as "name (unit, unit)"."""

    def label_from_instance(self, obj):
        units = ", ".join(m.unit.name for m in obj.unit_memberships.all())
        return f"{obj.get_full_name() or obj.get_username()} ({units})"


def action_form_class(transition: Transition, ticket) -> type[forms.Form]:
    """A Django form with one field per input of ``transition`` (+ files when the action takes them).

    Values are validated again by ``apply_transition``; the form only gives the officer the right widgets.
    """
    fields: dict[str, forms.Field] = {}
    for spec in transition.inputs:
        common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
        if spec.kind in ("choice", "unit", "category"):
            choices = [("", "---------"), *spec.get_choices()]
            field = forms.ChoiceField(choices=choices, **common)
        elif spec.kind == "user":
            # Unit operators only, each with their unit(s): the disposition checks that the officer belongs to
            # the chosen unit (``layanan.core.workflow.assign_unit``).
            users = (
                get_user_model()
                .objects.filter(is_active=True, unit_memberships__isnull=False)
                .distinct()
                .prefetch_related("unit_memberships__unit")
            )
            field = OfficerChoiceField(queryset=users.order_by("username"), **common)
        elif spec.kind == "date":
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif spec.kind == "decimal":
            field = forms.DecimalField(min_value=0, decimal_places=0, **common)
        elif spec.kind == "integer":
            field = forms.IntegerField(min_value=0, **common)
        elif spec.kind == "bool":
            common["required"] = False
            field = forms.BooleanField(**common)
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        fields[spec.name] = field
    if transition.allows_files:
        fields["files"] = MultipleUploadField(
            label=_("Files"),
            help_text=_("PDF, JPEG or PNG. Released to the applicant when the step is visible to them."),
        )
    return type(f"{transition.action.title()}Form", (forms.Form,), fields)
