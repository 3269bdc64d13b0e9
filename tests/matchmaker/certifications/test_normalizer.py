"""The normalizer's rules, each with the spellings suppliers and buyers really write."""
import pytest

from matchmaker.certifications import (
    all_certifications, canonical, canonical_list, for_industry, label, lookup, parse,
)
from matchmaker.domain import INDUSTRIES

PROGRAMME_INDUSTRIES = ("electronics", "semiconductor", "auto-parts", "machinery", "textiles", "bio-pharma",
                        "cosmetics", "food")


def held(text: str) -> str:
    """The id of ``text``, asserting it is known and held."""
    found = parse(text)
    assert found.known and found.held, found
    return found.id


# --- versions, years, spacing, punctuation, case and issuers do not matter

@pytest.mark.parametrize("text", [
    "ISO 9001", "ISO9001:2015", "iso-9001", "ISO 9001:2015 (KSA)", "ISO 9001 certified", "KS Q ISO 9001",
    "ISO9001 인증", "ISO 9001 (TÜV SÜD)", "ISO 9001 by BSI", "ISO 9001:2008", "ISO 9001-2015", "iso9001",
    "ISO 9001 : 2015", "ＩＳＯ９００１", "ISO 9001 인증 (한국표준협회)", "ISO 9001 certified by DNV GL",
    "ISO 9001 (2015 version)", "ISO 9001 인증 취득", "ISO 9001 인증서 보유", "품질경영시스템", "ISO 9001 QMS",
    "Certified: ISO 9001", "ISO 9001 (since March 2018)", "ISO 9001 (valid 2024-05-31)", "ISO 9001 [SGS]",
    "ISO 9001 from KFQ", "ISO 9001 (TUEV SUED)", "ISO 9001 TÜV", "ISO 9001 registered", "ISO 9001 (2015년)",
    "ISO_9001", "ISO 9001 (Bureau Veritas)",
    "JIS Q 9001", "ISO 9001 renewal in progress", "ISO 9001 (갱신 중)", "ISO 9001 재인증 진행중",
    "ISO 9001 exp. 2026", "ISO9001 유효기간 2026.12.31", "ISO 9001 valid until Dec 2026", "ISO 9001 (2019.03)",
    "ISO 9001 expires 2027-01", "ISO 9001 (2024~2027)", "ISO 9001 version 2015",
])
def test_iso_9001_spellings(text):
    assert held(text) == "ISO 9001"


@pytest.mark.parametrize("text, expected", [
    ("ISO14001:2015", "ISO 14001"), ("KS I ISO 14001", "ISO 14001"), ("iso 14001 (KFQ)", "ISO 14001"),
    ("환경경영시스템 인증", "ISO 14001"), ("ISO 45001:2018", "ISO 45001"), ("KS Q ISO 45001 인증", "ISO 45001"),
    ("안전보건경영시스템", "ISO 45001"), ("OHSAS 18001:2007", "ISO 45001"), ("ISO 13485:2016", "ISO 13485"),
    ("EN ISO 13485:2016", "ISO 13485"), ("ISO13485 (TÜV Rheinland)", "ISO 13485"), ("KS P ISO 13485", "ISO 13485"),
    ("IATF16949:2016", "IATF 16949"), ("IATF 16949 (Bureau Veritas)", "IATF 16949"), ("ISO/TS 16949", "IATF 16949"),
    ("TS16949:2009", "IATF 16949"), ("IATF 인증", "IATF 16949"), ("ISO 22000:2018", "ISO 22000"),
    ("식품안전경영시스템", "ISO 22000"), ("ISO 27001", "ISO/IEC 27001"), ("ISO/IEC 27001:2022", "ISO/IEC 27001"),
    ("ISO27001 certified", "ISO/IEC 27001"), ("KS X ISO/IEC 27001", "ISO/IEC 27001"), ("ISO 17025", "ISO/IEC 17025"),
    ("ISO 50001:2018", "ISO 50001"), ("FSSC 22000 v6", "FSSC 22000"), ("FSSC22000 Version 5.1", "FSSC 22000"),
    ("BRCGS Issue 9", "BRCGS"), ("BRC Food", "BRCGS"), ("IFS Food Version 8", "IFS Food"), ("SQF Edition 9", "SQF"),
    ("AS9100 Rev D", "AS9100"), ("AS9100D", "AS9100"), ("EN 9100:2018", "AS9100"), ("SEMI S2-0821", "SEMI S2"),
    ("SEMI-S2", "SEMI S2"), ("GOTS 7.0", "GOTS"), ("GRS 4.0", "GRS"), ("VDA 6.3", "VDA 6.3"), ("VDA6.3", "VDA 6.3"),
    ("ANSI/ESD S20.20-2021", "ESD S20.20"), ("RoHS 2", "RoHS"), ("RoHS3 compliant", "RoHS"), ("rohs", "RoHS"),
    ("REACH SVHC", "REACH"), ("OEKO-TEX® STANDARD 100", "OEKO-TEX Standard 100"), ("KCC 인증", "KC"),
    ("Öko-Tex Standard 100", "OEKO-TEX Standard 100"), ("Standard 100 by OEKO-TEX", "OEKO-TEX Standard 100"),
    ("GlobalGAP", "GLOBALG.A.P."), ("EurepGAP", "GLOBALG.A.P."), ("EICC", "RBA"), ("CFDA", "NMPA"),
    ("ISO 3834-2", "ISO 3834"), ("EN 1090-2", "EN 1090"), ("IRIS", "ISO/TS 22163"), ("API Spec Q1 2019", "API Spec Q1"),
    ("UL listed", "UL"), ("cULus", "UL"), ("CE marking", "CE"), ("CE (TÜV SÜD)", "CE"), ("CE-EMC", "CE"),
    ("CE Marking (Machinery Directive 2006/42/EC)", "CE"), ("GRS 4.0 (Control Union)", "GRS"),
    # Grades, classes and levels within a scheme are details of the same certificate.
    ("AEC-Q100 Grade 1", "AEC-Q100"), ("IPC-A-610 Class 3", "IPC-A-610"), ("ISO 26262 ASIL-D", "ISO 26262"),
    ("ISO 14644-1 Class 5", "ISO 14644"), ("SOC 2 Type II", "SOC 2"), ("IEC 61508 SIL 3", "IEC 61508"),
    ("Oeko-Tex Standard 100 Product Class 1", "OEKO-TEX Standard 100"), ("ASPICE Level 2", "ASPICE"),
])
def test_other_standards_ignore_versions_and_issuers(text, expected):
    assert held(text) == expected


# --- Korean names map to the same id

@pytest.mark.parametrize("text, expected", [
    ("해썹", "HACCP"), ("해썹인증", "HACCP"), ("HACCP 인증", "HACCP"), ("HACCP인증", "HACCP"), ("식품안전관리인증", "HACCP"),
    ("식품안전관리인증기준", "HACCP"), ("식품안전관리인증기준(HACCP)", "HACCP"), ("축산물 HACCP", "HACCP"),
    ("KC 인증", "KC"), ("KC인증", "KC"), ("KC마크", "KC"), ("케이씨 인증", "KC"), ("국가통합인증마크", "KC"),
    ("전파인증", "KC"), ("KS 표시인증", "KS"), ("KS마크", "KS"), ("한국산업표준", "KS"), ("KCs 인증", "KCs"),
    ("식약처 GMP", "KGMP"), ("의약품 제조 및 품질관리기준", "KGMP"), ("K-GMP", "KGMP"),
    ("우수화장품 제조 및 품질관리기준", "MFDS CGMP"), ("화장품 CGMP", "MFDS CGMP"), ("CGMP (화장품)", "MFDS CGMP"),
    ("의료기기 GMP", "MFDS medical device GMP"), ("건강기능식품 GMP", "Health functional food GMP"),
    ("할랄 인증", "Halal"), ("코셔", "Kosher"), ("비건 인증", "Vegan"), ("이노비즈", "INNOBIZ"),
    ("메인비즈 인증", "MAINBIZ"), ("벤처기업", "Venture company"), ("벤처 기업", "Venture company"),
    ("녹색인증", "Korean Green Certification"), ("환경표지인증", "Korean Eco-label"), ("신제품 인증", "NEP"),
    ("화평법", "K-REACH"), ("농산물우수관리 인증", "K-GAP"), ("삼성 에코파트너", "Samsung Eco-Partner"),
    ("SQ 인증", "Hyundai-Kia SQ"), ("현대기아 SQ", "Hyundai-Kia SQ"), ("중국 강제인증", "CCC"),
    ("정보보호 관리체계", "ISMS"), ("중국 위생허가", "NMPA"), ("외코텍스", "OEKO-TEX Standard 100"),
])
def test_korean_names(text, expected):
    assert held(text) == expected


# --- pending, planned or lapsed: recognised but not held

@pytest.mark.parametrize("text, expected", [
    ("ISO 9001 (in progress)", "ISO 9001"), ("ISO 9001 - pending", "ISO 9001"), ("Applied for IATF 16949",
    "IATF 16949"),
    ("IATF 16949 (planned)", "IATF 16949"), ("ISO 14001 expected Q3 2025", "ISO 14001"),
    ("ISO 45001 under certification", "ISO 45001"), ("ISO 13485 (2025 예정)", "ISO 13485"),
    ("ISO 9001 인증 진행중", "ISO 9001"), ("ISO 9001 인증 진행 중", "ISO 9001"), ("HACCP 취득 예정", "HACCP"),
    ("HACCP 준비 중", "HACCP"), ("HACCP 준비중", "HACCP"), ("FSSC 22000 인증 심사중", "FSSC 22000"),
    ("KC 인증 신청", "KC"), ("ISO 9001 (applied)", "ISO 9001"), ("ISO 9001 applied", "ISO 9001"), ("KC 신청중", "KC"),
    ("ISO 22000 (2025년 하반기 취득 예정)", "ISO 22000"),
    ("CE 추진 중", "CE"), ("ISO 27001 under audit", "ISO/IEC 27001"), ("ISO 27001 by 2026", "ISO/IEC 27001"),
    ("EU GMP - in preparation", "EU GMP"), ("Pending: ISO 14001", "ISO 14001"), ("ISO 9001 (scheduled 2025)",
    "ISO 9001"),
    ("IATF 16949 in process", "IATF 16949"), ("ISO 9001 to be certified", "ISO 9001"), ("ISO 9001 - WIP", "ISO 9001"),
    ("ISO 9001 not yet certified", "ISO 9001"), ("working towards ISO 14001", "ISO 14001"),
    ("ISO 9001 (target 2026)", "ISO 9001"), ("HACCP 계획", "HACCP"), ("ISO 9001 미취득", "ISO 9001"),
    ("HACCP (expired)", "HACCP"), ("ISO 9001 - lapsed 2022", "ISO 9001"), ("KGMP 인증 만료", "KGMP"),
    ("GOTS (suspended)", "GOTS"), ("ISO 14001 (Q1 2026 planned)", "ISO 14001"),
])
def test_pending_or_lapsed_is_recognised_but_not_held(text, expected):
    found = parse(text)
    assert (found.id, found.known, found.held) == (expected, True, False)
    assert canonical(text) is None


@pytest.mark.parametrize("text", [
    "ISO 9001 renewal pending", "ISO 9001 surveillance audit scheduled", "ISO 9001 (갱신 예정)",
    "ISO 9001 (사후심사 진행중)", "ISO 9001 (valid until 2026-12-31)", "CCC 중국", "ISO 9001 (since 2019)",
    "Applied Materials approved vendor", "기술혁신형 중소기업",
])
def test_upkeep_and_dates_do_not_make_a_certificate_pending(text):
    assert parse(text).held


# --- lookalike schemes stay distinct

@pytest.mark.parametrize("spellings", [
    ("KGMP", "EU GMP", "cGMP (US)", "PIC/S GMP", "WHO GMP", "MFDS CGMP", "ISO 22716", "의료기기 GMP", "건강기능식품 GMP"),
    ("ISO 22716", "화장품 CGMP", "식약처 GMP", "FDA cGMP"),
    ("ISO 9001", "ISO 13485", "IATF 16949", "AS9100", "API Spec Q1", "ISO/TS 22163"),
    ("ISO 22000", "FSSC 22000", "HACCP", "BRCGS", "IFS Food", "SQF"),
    ("KS", "KC", "KCs"),
    ("CE", "CB", "CE-IVD", "CE MDR", "PED", "UKCA"),
    ("FDA registered", "FDA 510(k)", "FDA approved", "FDA cGMP", "US DMF"),
    ("ISO 27001", "ISMS", "ISMS-P", "TISAX", "SOC 2"),
    ("RoHS", "China RoHS", "REACH", "K-REACH", "TSCA"),
    ("UL", "ETL", "CSA", "CB Scheme"),
    ("OEKO-TEX", "OEKO-TEX STeP", "Made in Green by OEKO-TEX"),
    ("GOTS", "OCS", "GRS", "RCS"),
    ("USDA Organic", "EU Organic", "유기가공식품 인증", "COSMOS", "ECOCERT"),
    ("ISO 45001", "KOSHA-MS"), ("ISO/IEC 17025", "KOLAS"),
    ("AEC-Q100", "AEC-Q101", "AEC-Q200"), ("SEMI S2", "SEMI S8", "SEMI F47"),
    ("IEC 61508", "ISO 26262"), ("ATEX", "IECEx"), ("Halal", "Kosher", "Vegan"),
])
def test_lookalike_schemes_stay_distinct(spellings):
    ids = [held(text) for text in spellings]
    assert len(set(ids)) == len(ids), dict(zip(spellings, ids))


@pytest.mark.parametrize("text, expected", [
    ("FDA", "FDA registration"), ("FDA certified", "FDA registration"), ("FDA 인증", "FDA registration"),
    ("FDA 등록", "FDA registration"), ("US FDA registered", "FDA registration"), ("FDA 510k", "FDA 510(k)"),
    ("510(k) clearance", "FDA 510(k)"), ("FDA cleared", "FDA 510(k)"), ("FDA 승인", "FDA approval"),
    ("FDA PMA", "FDA approval"), ("US FDA 510(k) cleared", "FDA 510(k)"), ("ISO/TS 16949:2009", "IATF 16949"),
    ("KGMP", "KGMP"),
    ("PIC/S", "PIC/S GMP"), ("GMP (EU)", "EU GMP"), ("CGMP (US)", "US cGMP"), ("CGMP (cosmetics)", "MFDS CGMP"),
])
def test_documented_decisions(text, expected):
    assert held(text) == expected


@pytest.mark.parametrize("text", ["GMP", "CGMP", "cGMP", "cGMP certified", "API", "Organic", "우수제조관리기준",
                                  "EWG 그린등급", "안전인증", "유기농", "CE MD", "KFDA", "Green Partner", "UL 94 V-0",
                                  "ISO 9001 and ISO 14001"])
def test_ambiguous_or_compound_names_stay_unknown(text):
    """Names of several schemes (GMP, API), qualifiers we do not model (UL 94 V-0), two certificates in one."""
    assert not parse(text).known


# --- unknown certifications keep a stable id

@pytest.mark.parametrize("spellings, expected", [
    (("XYZ-123 cert", "xyz 123", "XYZ123", " Xyz_123 certified ", "XYZ/123 (2024)"), "XYZ 123"),
    (("Best Supplier Award 2021", "best  supplier award", "BEST-SUPPLIER-AWARD"), "BEST SUPPLIER AWARD"),
    (("CGMP", "cGMP", "C.G.M.P", "C G M P", "CGMP 인증"), "CGMP"),
    (("Premium A Award", "premium-a award", "PREMIUM A  AWARD (2023)"), "PREMIUM A AWARD"),
    (("스마트공장 인증", "스마트공장인증", "스마트공장"), "스마트공장"),
])
def test_unknown_spellings_that_differ_in_case_spacing_or_punctuation_agree(spellings, expected):
    found = [parse(text) for text in spellings]
    assert not any(f.known for f in found)
    assert {f.id for f in found} == {expected}


def test_unknown_keeps_the_original_and_status():
    found = parse("  Foo Mark (진행중) ")
    assert (found.original, found.id, found.known, found.held) == ("Foo Mark (진행중)", "FOO", False, False)


def test_text_of_nothing_but_noise_keeps_its_words():
    assert parse("인증 진행중").id == "인증 진행중"


# --- empty text

@pytest.mark.parametrize("text", ["", "   ", "\t\n", "-", "()", "/"])
def test_empty_text_raises_in_parse_and_is_none_in_canonical(text):
    with pytest.raises(ValueError):
        parse(text)
    assert canonical(text) is None


def test_canonical_of_none_is_none():
    assert canonical(None) is None


# --- the rest of the API

def test_canonical_list_keeps_held_ids_once_in_order():
    texts = ["ISO9001:2015", "해썹", None, "", "ISO 9001 (KSA)", "IATF 16949 (2025 예정)", "Foo cert", "HACCP 인증",
             "FOO"]
    assert canonical_list(texts) == ["ISO 9001", "HACCP", "FOO"]


def test_lookup_and_label():
    entry = lookup("ISO 9001")
    assert entry is not None and entry.id == "ISO 9001" and "general" in entry.industries
    assert entry.name_ko == "품질경영시스템" and "ISO9001" in entry.aliases
    assert label("HACCP") == lookup("HACCP").name
    assert lookup("iso 9001") is None and lookup("Nope") is None
    assert label("XYZ 123") == "XYZ 123"


def test_for_industry_lists_specific_entries_then_general_ones():
    food = for_industry("food")
    ids = [entry.id for entry in food]
    assert "HACCP" in ids and "ISO 9001" in ids and "IATF 16949" not in ids
    assert ids.index("HACCP") < ids.index("ISO 9001")
    assert "ISO 9001" not in [entry.id for entry in for_industry("food", include_general=False)]
    with pytest.raises(ValueError):
        for_industry("toys")


# --- the table

def test_table_is_large_and_covers_every_programme_industry():
    entries = all_certifications()
    assert len(entries) >= 60
    for code in PROGRAMME_INDUSTRIES:
        assert len([e for e in entries if code in e.industries]) >= 5, code
    assert {code for e in entries for code in e.industries} <= set(INDUSTRIES) | {"general"}


def test_every_alias_parses_back_to_its_own_entry():
    wrong = {}
    for entry in all_certifications():
        for spelling in entry.spellings():
            found = parse(spelling)
            if (found.id, found.known, found.held) != (entry.id, True, True):
                wrong[spelling] = (entry.id, found)
    assert wrong == {}


def test_label_round_trips_through_parse():
    for entry in all_certifications():
        assert parse(label(entry.id)).id == entry.id
