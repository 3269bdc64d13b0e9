"""Template filters and globals."""
from flask import Flask, request, url_for

from .display import (certification, certification_id, certification_label, country_name, display_name,
                      english_key_terms, english_terms, has_hangul, has_latin, hs_description, language_name,
                      name_pair, product_facts, region_en, romanized_name, smart_factory_explanation, smart_factory_label)
from .domain import INDUSTRIES

# Plain functions from ``display`` that templates use as filters under their own names.
DISPLAY_FILTERS = (country_name, language_name, region_en, hs_description, romanized_name, display_name, name_pair,
                   has_hangul, has_latin, smart_factory_label, smart_factory_explanation, english_terms,
                   english_key_terms, certification, certification_id, certification_label, product_facts)


def industry_label(code: str | None) -> str:
    """English label of an industry code (the code itself if unknown)."""
    return INDUSTRIES.get(code or "", (code or "", ""))[0]


def thousands(number: int | None) -> str:
    """12000 as 12,000."""
    return "" if number is None else f"{number:,}"


def page_url(page: int) -> str:
    """This page's URL with its query string, at another page number."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.add_template_filter(industry_label)
    app.add_template_filter(thousands)
    for display_filter in DISPLAY_FILTERS:
        app.add_template_filter(display_filter)
    app.add_template_global(page_url)
