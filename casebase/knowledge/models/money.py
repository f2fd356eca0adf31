"""Reference exchange rates: every amount keeps its currency and is compared in US dollars."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .common import DatePrecision, format_precise
from .sources import Source


class ExchangeRateQuerySet(models.QuerySet):
    def on_or_before(self, currency, date):
        """The latest rate for `currency` published in the week up to `date` (reference rates skip weekends)."""
        week_before = date - datetime.timedelta(days=7)
        return self.filter(currency=currency, date__lte=date, date__gt=week_before).order_by("-date").first()


class ExchangeRate(models.Model):
    """A published reference rate: how many US dollars one unit of a currency was worth on a day."""

    currency = models.CharField(max_length=3, help_text="ISO 4217 code of the currency converted (EUR, GBP, KRW).")
    date = models.DateField(help_text="The day the reference rate was published.")
    usd_per_unit = models.DecimalField(
        max_digits=18, decimal_places=10, help_text="US dollars for one unit of the currency on that day."
    )
    reference = models.CharField(
        max_length=120,
        help_text="The named reference rate, as readers see it: 'ECB euro reference rate'.",
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="exchange_rates", help_text="Where the rate is published."
    )
    note = models.CharField(
        max_length=400, blank=True, help_text="How the figure was derived, e.g. a cross rate through the euro."
    )

    objects = ExchangeRateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_unique_day"),
            models.CheckConstraint(condition=Q(usd_per_unit__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=~Q(currency="USD"), name="exchange_rate_not_usd"),
        ]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.usd_per_unit} USD"

    @property
    def date_display(self):
        return format_precise(self.date, DatePrecision.DAY)

    def to_usd(self, amount):
        """`amount` of this currency in US dollars, to the cent."""
        return (Decimal(amount) * self.usd_per_unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
