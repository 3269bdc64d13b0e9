"""Template filters and globals."""
from flask import Flask, request, url_for

from .domain import INDUSTRIES, SMART_FACTORY_LEVELS


def industry_label(code: str | None) -> str:
    """English label of an industry code (the code itself if unknown)."""
    return INDUSTRIES.get(code or "", (code or "", ""))[0]


def smart_factory_label(level: int | None) -> str:
    """Human words for a smart-factory level."""
    if level is None:
        return "not stated"
    return f"Level {level} ({SMART_FACTORY_LEVELS.get(level, '?')})"


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
    app.add_template_filter(smart_factory_label)
    app.add_template_filter(thousands)
    app.add_template_global(page_url)
