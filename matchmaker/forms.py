"""What every form shares: input filters, the NUL check, the search-text cut and the country list."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .dataio.limits import QUERY_CHARS
from .display import country_choices
from .i18n import current_language


def strip(value):
    """Drop the spaces people paste around what they type."""
    return value.strip() if isinstance(value, str) else value


def country_code(value):
    """A country code as ISO writes it ("de" as "DE"), so hand-made posts still match a choice."""
    return value.strip().upper() if isinstance(value, str) else value


NUL_MESSAGE = _l("This text contains a NUL character, which cannot be saved. Remove it.")


def no_nul(form, field) -> None:
    """Refuse text with a NUL character: no person types one, and PostgreSQL cannot store it."""
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(isinstance(value, str) and "\x00" in value for value in values):
        raise ValidationError(NUL_MESSAGE)


def search_text(value) -> str:
    """What a search box sent, as the search takes it: NUL characters dropped, stripped, cut to ``QUERY_CHARS``."""
    return value.replace("\x00", "").strip()[:QUERY_CHARS] if isinstance(value, str) else ""


def country_options() -> list[tuple[str, str]]:
    """"Choose a country", then every ISO country by its name in the interface language (made per request)."""
    return [("", _l("Choose a country")), *country_choices(current_language())]
