"""Template helpers: sanitized Markdown and money."""

from decimal import Decimal

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

from casebase.knowledge.models.jurisdictions import jurisdiction_label

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "hr", "abbr", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def markdown_to_html(text):
    """Markdown to HTML with raw HTML treated as text.

    Staff write prose about HTML ("the page loaded a <script> tag"); passing such words through
    as HTML would let the sanitizer drop them and everything after. Without the raw-HTML
    processors Markdown escapes them, so they show exactly as typed.
    """
    converter = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter.convert(text)


@register.filter(name="markdown")
def render_markdown(text):
    """Render staff Markdown, then sanitize the HTML so no script or style survives."""
    if not text:
        return ""
    html = markdown_to_html(text)
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "KRW": "₩", "BRL": "R$", "AUD": "A$"}


@register.filter
def money(amount, currency="USD"):
    """'$25,000,000' or '€20,000,000'; whole amounts without cents."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{text}" if sign else f"{text} {currency}"


@register.filter
def jurisdiction(code):
    """A jurisdiction code as every page shows it: 'United States (US)', or the bare code when it has no name."""
    return jurisdiction_label(code) if code else ""
