"""Pay data: bands, compensation history, market benchmarks, currency rates, the restricted
attributes used for gap analysis, and the audits run (the fairness gate)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ampwork.core.models import Organisation, Person, User

PERIODS_PER_YEAR = {"annual": 1, "monthly": 12, "weekly": 52, "hourly": 2080}


class FairnessSettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="fairness"
    )
    reporting_currency = models.CharField(max_length=3, default="EUR")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.reporting_currency}"


class CurrencyRate(models.Model):
    """How many units of the reporting currency one unit of ``currency`` is worth."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    rate = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "currency"], name="rate_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate}"


class PayBand(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    job_role = models.CharField(max_length=120)
    level = models.CharField(max_length=40)
    location = models.CharField(max_length=120, blank=True)
    currency = models.CharField(max_length=3)
    minimum = models.FloatField()
    maximum = models.FloatField()

    class Meta:
        ordering = ["job_role", "level", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "job_role", "level", "location"], name="band_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(maximum__gt=models.F("minimum")), name="band_max_above_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_role} {self.level} {self.location}"

    @property
    def midpoint(self) -> float:
        return (self.minimum + self.maximum) / 2


class MarketBenchmark(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    job_role = models.CharField(max_length=120)
    level = models.CharField(max_length=40)
    location = models.CharField(max_length=120, blank=True)
    currency = models.CharField(max_length=3)
    p25 = models.FloatField()
    p50 = models.FloatField()
    p75 = models.FloatField()
    source = models.CharField(max_length=200, blank=True)
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["job_role", "level", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "job_role", "level", "location"], name="market_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"market {self.job_role} {self.level} {self.location}"


class CompensationRecord(models.Model):
    """One effective-dated pay record; the newest effective one counts."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="compensation")
    effective = models.DateField()
    base_pay = models.FloatField()
    variable_pay = models.FloatField(default=0)  # bonus and commission for the year
    # allowances and benefits in kind for the year: with variable pay, the "complementary or
    # variable components" of EU Directive 2023/970 art. 3(1)(a)
    complementary_pay = models.FloatField(default=0, db_default=0)
    currency = models.CharField(max_length=3)
    fte = models.FloatField(default=1.0)
    period = models.CharField(
        max_length=8, default="annual", choices=[(p, p) for p in PERIODS_PER_YEAR]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "-effective", "-id"]
        indexes = [models.Index(fields=["organisation", "person", "effective"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(base_pay__gt=0), name="pay_positive"),
            models.CheckConstraint(condition=models.Q(fte__gt=0, fte__lte=1.5), name="fte_share"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} from {self.effective}"

    @property
    def annual_base(self) -> float:
        """Base pay for a year at the FTE worked."""
        return self.base_pay * PERIODS_PER_YEAR.get(self.period, 1)


class PayAttribute(models.Model):
    """Restricted attributes for gap analysis: seen by people ops and admins only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="pay_attributes")
    gender = models.CharField(max_length=30, blank=True)
    performance = models.FloatField(null=True, blank=True)
    factors = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"attributes of {self.person_id}"


class AuditRun(models.Model):
    """A pay audit as run: the fairness gate reads the newest."""

    class Status(models.TextChoices):
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_runs"
    )
    run_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=6, choices=Status.choices)
    reasons = models.JSONField(default=list)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"audit {self.run_at:%Y-%m-%d}: {self.status}"
