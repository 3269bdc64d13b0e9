"""Smart-factory levels: a distinct label and an explanation for each of 0 to 5."""
import re

from matchmaker.display.levels import smart_factory_explanation, smart_factory_label
from matchmaker.domain import SMART_FACTORY_LEVELS


def test_every_level_from_0_to_5_has_its_own_label():
    labels = [SMART_FACTORY_LEVELS[level][0] for level in range(6)]
    assert len(set(labels)) == 6
    assert smart_factory_label(1) != smart_factory_label(2)


def test_label_keeps_the_level_number_in_front():
    assert smart_factory_label(2) == "Level 2 (real-time monitoring)"
    assert smart_factory_label(0) == "Level 0 (none)"


def test_missing_and_unknown_levels():
    assert smart_factory_label(None) == "not stated"
    assert smart_factory_label(9) == "Level 9 (?)"
    assert smart_factory_explanation(None) == smart_factory_explanation(9) == ""


def test_every_level_is_explained_in_one_sentence_naming_its_tier():
    tiers = ["", "Basic 1", "Basic 2", "Intermediate 1", "Intermediate 2", "Advanced"]
    for level, tier in enumerate(tiers):
        explanation = smart_factory_explanation(level)
        assert explanation.startswith(tier) and explanation.endswith(".")
        assert not re.search(r"\. [A-Z]", explanation)  # one sentence ("e.g. by" is not a second one)


def test_levels_in_korean():
    assert smart_factory_label(2, "ko") == "레벨 2 (실시간 모니터링)"
    assert smart_factory_label(None, "ko") == "미기재" and smart_factory_label(9, "ko") == "레벨 9 (?)"
    assert smart_factory_explanation(2, "ko").startswith("기초 2:")
    assert smart_factory_label(2, "fr") == smart_factory_label(2)  # unknown languages read English
