"""What every form shares: input filters and the country list."""
from flask_babel import lazy_gettext as _l

from .display import country_choices
from .i18n import current_language


def strip(value):
    """Drop the spaces people paste around what they type."""
    return value.strip() if isinstance(value, str) else value


def country_code(value):
    """A country code as ISO writes it ("de" as "DE"), so hand-made posts still match a choice."""
    return value.strip().upper() if isinstance(value, str) else value


def country_options() -> list[tuple[str, str]]:
    """"Choose a country", then every ISO country by its name in the interface language (made per request)."""
    return [("", _l("Choose a country")), *country_choices(current_language())]
