"""Smart-factory levels in Korean: the counterparts of ``levels`` for the Korean interface.

Korea's scheme names its tiers 기초 (basic), 중간 (intermediate) and 고도화 (advanced); the English
texts are in ``matchmaker.domain.SMART_FACTORY_LEVELS``.
"""

# level: (short label, one sentence on what it means)
SMART_FACTORY_LEVELS_KO: dict[int, tuple[str, str]] = {
    0: ("없음", "아직 생산에 스마트공장 시스템을 쓰지 않습니다."),
    1: ("디지털 기록", "기초 1: 생산 기록을 디지털로 관리하고, 바코드나 RFID 등으로 부품이나 로트를 식별합니다."),
    2: ("실시간 모니터링", "기초 2: 센서로 설비와 생산량을 실시간으로 모니터링합니다."),
    3: ("데이터 기반 제어", "중간 1: 수집한 생산 데이터를 분석해 공정 제어에 활용합니다."),
    4: ("최적화", "중간 2: 공정을 최적화하고, 시뮬레이션으로 문제가 생기기 전에 대응합니다."),
    5: ("자율 운영", "고도화: 공장이 AI나 디지털 트윈 등으로 스스로 모니터링하고 제어하며 최적화합니다."),
}


def smart_factory_label_ko(level: int | None) -> str:
    """A level with its short label: "레벨 2 (실시간 모니터링)"."""
    if level is None:
        return "미기재"
    label = SMART_FACTORY_LEVELS_KO[level][0] if level in SMART_FACTORY_LEVELS_KO else "?"
    return f"레벨 {level} ({label})"


def smart_factory_explanation_ko(level: int | None) -> str:
    """One sentence on what a level means, naming its tier in Korea's scheme ("" if unknown)."""
    if level not in SMART_FACTORY_LEVELS_KO:
        return ""
    return SMART_FACTORY_LEVELS_KO[level][1]
