"""Smart-factory levels in words, in English (``matchmaker.domain.SMART_FACTORY_LEVELS``) or Korean.

Korea's scheme names its tiers 기초 (basic), 중간 (intermediate) and 고도화 (advanced).
"""
from ..domain import SMART_FACTORY_LEVELS

# level: (short label, one sentence on what it means), the Korean counterparts of the domain's English texts.
SMART_FACTORY_LEVELS_KO: dict[int, tuple[str, str]] = {
    0: ("없음", "아직 생산에 스마트공장 시스템을 쓰지 않습니다."),
    1: ("디지털 기록", "기초 1: 생산 기록을 디지털로 관리하고, 바코드나 RFID 등으로 부품이나 로트를 식별합니다."),
    2: ("실시간 모니터링", "기초 2: 센서로 설비와 생산량을 실시간으로 모니터링합니다."),
    3: ("데이터 기반 제어", "중간 1: 수집한 생산 데이터를 분석해 공정 제어에 활용합니다."),
    4: ("최적화", "중간 2: 공정을 최적화하고, 시뮬레이션으로 문제가 생기기 전에 대응합니다."),
    5: ("자율 운영", "고도화: 공장이 AI나 디지털 트윈 등으로 스스로 모니터링하고 제어하며 최적화합니다."),
}
# locale: (levels, text for no level, how a level and its label are written)
_WORDING = {"en": (SMART_FACTORY_LEVELS, "not stated", "Level {level} ({label})"),
            "ko": (SMART_FACTORY_LEVELS_KO, "미기재", "레벨 {level} ({label})")}


def smart_factory_label(level: int | None, locale: str = "en") -> str:
    """A level with its short label: "Level 2 (real-time monitoring)" ("레벨 2 (실시간 모니터링)" in "ko")."""
    levels, missing, form = _WORDING.get(locale, _WORDING["en"])
    if level is None:
        return missing
    return form.format(level=level, label=levels[level][0] if level in levels else "?")


def smart_factory_explanation(level: int | None, locale: str = "en") -> str:
    """One sentence on what a level means, naming its tier in Korea's scheme ("" if unknown)."""
    levels = _WORDING.get(locale, _WORDING["en"])[0]
    return levels[level][1] if level in levels else ""
