"""Smart-factory levels in words, from ``matchmaker.domain.SMART_FACTORY_LEVELS``."""
from ..domain import SMART_FACTORY_LEVELS


def smart_factory_label(level: int | None) -> str:
    """A level with its short label: "Level 2 (real-time monitoring)"."""
    if level is None:
        return "not stated"
    label = SMART_FACTORY_LEVELS[level][0] if level in SMART_FACTORY_LEVELS else "?"
    return f"Level {level} ({label})"


def smart_factory_explanation(level: int | None) -> str:
    """One sentence on what a level means, naming its tier in Korea's scheme ("" if unknown)."""
    if level not in SMART_FACTORY_LEVELS:
        return ""
    return SMART_FACTORY_LEVELS[level][1]
