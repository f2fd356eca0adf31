"""Jurisdiction names: the one label every page, facet, chart and export shows for a jurisdiction code."""

# Names for the codes readers are least likely to know; anything else shows as its code.
JURISDICTION_NAMES = {
    "AU": "Australia",
    "BR": "Brazil",
    "CA": "Canada",
    "DE": "Germany",
    "EU": "European Union",
    "FR": "France",
    "GB": "United Kingdom",
    "GR": "Greece",
    "IE": "Ireland",
    "IT": "Italy",
    "KR": "South Korea",
    "NL": "Netherlands",
    "US": "United States",
    "US-CA": "California",
    "US-IL": "Illinois",
    "US-NY": "New York",
    "US-TX": "Texas",
}


def jurisdiction_label(code):
    """'United States (US)', or the bare code when we have no name for it."""
    name = JURISDICTION_NAMES.get(code)
    return f"{name} ({code})" if name else code
