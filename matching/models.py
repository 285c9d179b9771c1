from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """One node of the National Occupational Classification (NOC) 2021 hierarchy.

    Codes nest by prefix: broad category "2", major group "21", sub-major group "213",
    minor group "2130", unit group "21300" (Civil engineers).
    """

    class Level(models.IntegerChoices):
        BROAD_CATEGORY = 1, _("Broad occupational category")
        MAJOR_GROUP = 2, _("Major group")
        SUB_MAJOR_GROUP = 3, _("Sub-major group")
        MINOR_GROUP = 4, _("Minor group")
        UNIT_GROUP = 5, _("Unit group")

    code = models.CharField(_("NOC code"), max_length=5, primary_key=True)
    title = models.CharField(_("title"), max_length=250)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("occupation (NOC 2021)")
        verbose_name_plural = _("occupations (NOC 2021)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
