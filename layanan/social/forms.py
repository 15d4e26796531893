"""Desk registration form of a social-media message typed in by an operator."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.social.models import Platform


class SocialRegisterForm(forms.Form):
    """A social-media message typed in by an operator (e.g. a direct message read in the platform's app)."""

    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    account_handle = forms.CharField(label=_("Official account"), required=False, max_length=128)
    author_handle = forms.CharField(label=_("Author"), required=False, max_length=128)
    message_id = forms.CharField(
        label=_("Message id"),
        required=False,
        max_length=191,
        help_text=_("If known: the same message is then never recorded twice."),
    )
    permalink = forms.URLField(label=_("Permalink"), required=False, max_length=500, assume_scheme="https")
    posted_at = forms.DateTimeField(
        label=_("Posted at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachment_urls = forms.CharField(
        label=_("Attachment URLs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One URL per line; they are stored as links, not downloaded."),
    )

    def clean_attachment_urls(self):
        return [line.strip() for line in (self.cleaned_data.get("attachment_urls") or "").splitlines() if line.strip()]
