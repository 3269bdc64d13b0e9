"""Template filters and globals."""
from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, request, url_for
from flask_babel import format_timedelta

from . import display
from .dataio import limits
from .display import (certification, certification_id, certification_label, display_name, english_key_terms,
                      english_terms, has_hangul, has_latin, hs_description, name_pair, product_facts, region_en,
                      romanized_name)
from .i18n import current_language, industry_label
from .models._columns import as_utc, utcnow

# Plain functions from ``display`` that templates use as filters under their own names.
DISPLAY_FILTERS = (region_en, hs_description, romanized_name, display_name, name_pair, has_hangul, has_latin,
                   english_terms, english_key_terms, certification, certification_id, certification_label,
                   product_facts)


# Filters that follow the interface language (``display`` itself stays free of Flask).

def country_name(code: str | None, locale: str | None = None) -> str:
    """A country code by its name in ``locale``, by default the interface language's."""
    return display.country_name(code, locale or current_language())


def language_name(code: str | None, locale: str | None = None) -> str:
    """A language code by its name in ``locale``, by default the interface language's."""
    return display.language_name(code, locale or current_language())


def smart_factory_label(level: int | None) -> str:
    """A level with its short label, in the interface language: "Level 2 (real-time monitoring)"."""
    return display.smart_factory_label(level, current_language())


def smart_factory_explanation(level: int | None) -> str:
    """One sentence on what a level means, in the interface language ("" if unknown)."""
    return display.smart_factory_explanation(level, current_language())


LANGUAGE_FILTERS = (country_name, language_name, smart_factory_label, smart_factory_explanation)


def thousands(number: int | None) -> str:
    """12000 as 12,000."""
    return "" if number is None else f"{number:,}"


def age(moment: datetime | None) -> str:
    """How long ago ``moment`` was, in words of the interface language ("3 days")."""
    if moment is None:
        return ""
    return format_timedelta(utcnow() - as_utc(moment), threshold=1.5)


def page_url(page: int) -> str:
    """This page's URL with its query string, at another page number.

    The query string is carried as data, never as ``url_for`` keywords: an
    argument named ``endpoint`` or ``_method`` in the address must not steer
    the link builder. Repeated arguments (several certifications) stay repeated.
    """
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    return url_for(request.endpoint, **(request.view_args or {})) + "?" + urlencode(args + [("page", page)])


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.add_extension("jinja2.ext.do")  # the field macro builds its aria attributes
    app.add_template_filter(thousands)
    app.add_template_filter(age)
    for display_filter in DISPLAY_FILTERS + LANGUAGE_FILTERS:
        app.add_template_filter(display_filter)
    app.add_template_filter(industry_label)
    app.add_template_global(page_url)
    app.add_template_global(limits, "limits")  # maxlength of inputs that are not WTForms fields
