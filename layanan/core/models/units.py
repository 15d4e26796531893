from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["UnitMembership"]


class UnitMembership(models.Model):
    """Links an operator (user) to a unit whose disposed tickets they handle (role "Operator Unit")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="unit_memberships"
    )
    unit = models.ForeignKey("home.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="members")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="layanan_unitmembership_unique")]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.code}"
