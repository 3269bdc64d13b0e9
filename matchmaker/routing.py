"""URL converters: ids in paths are bounded, so a huge number is a 404, never an overflow."""
from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite overflows past 2**63


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches 0 to ``MAX_ID`` only."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Make every ``<int:...>`` in the app's routes bounded."""
    app.url_map.converters["int"] = BoundedIntegerConverter
