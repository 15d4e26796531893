"""Shared bits of the home page types: page-type rules tolerant of apps still being built, optional models."""

from __future__ import annotations

from django.apps import apps
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page


class TolerantSubpageTypesMixin:
    """``subpage_types`` may name page types of apps still being built (``"berita.NewsIndexPage"``).

    Entries whose model does not exist (yet) are skipped instead of breaking the page chooser and the admin;
    everything else behaves like Wagtail's ``Page.clean_subpage_models``.
    """

    @classmethod
    def clean_subpage_models(cls):
        if cls._clean_subpage_models is None:
            models = []
            for model_string in cls.subpage_types:
                try:
                    model = resolve_model_string(model_string, cls._meta.app_label)
                except LookupError:
                    continue
                if not issubclass(model, Page):
                    raise LookupError(f"{model} is not a Page subclass")
                models.append(model)
            cls._clean_subpage_models = models
        return cls._clean_subpage_models


def optional_model(app_label: str, model_name: str):
    """The model ``app_label.model_name`` or ``None`` while that app has not defined it."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None
