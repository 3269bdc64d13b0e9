"""Sentences for the demo catalog in Korean, English and buyers' languages."""
from __future__ import annotations

import random

from ..domain import INDUSTRIES
from .vocabulary import MARKETS, Family

MARKET_KO = {code: ko for code, ko, _ in MARKETS}
MARKET_EN = {"US": "the United States", "CN": "China", "VN": "Vietnam", "JP": "Japan", "DE": "Germany",
             "IN": "India", "MX": "Mexico", "TH": "Thailand", "ID": "Indonesia", "PL": "Poland",
             "HU": "Hungary", "AE": "the UAE", "SA": "Saudi Arabia", "TR": "Türkiye", "GB": "the United Kingdom",
             "FR": "France", "AU": "Australia", "BR": "Brazil", "MY": "Malaysia", "CA": "Canada", "ES": "Spain",
             "IT": "Italy"}


def has_final_consonant(word: str) -> bool:
    """Whether the last Hangul syllable of ``word`` ends in a consonant (picks 을/를, 은/는)."""
    core = word.split("(")[0].strip() or word
    for char in reversed(core):
        if "가" <= char <= "힣":
            return (ord(char) - 0xAC00) % 28 != 0
    return False


def josa(word: str, with_final: str, without_final: str) -> str:
    """``word`` followed by the right Korean particle."""
    return word + (with_final if has_final_consonant(word) else without_final)


def product_name(family: Family, lang: str) -> str:
    """A product's name in the profile's language (both for bilingual profiles)."""
    if lang == "ko":
        return family.ko
    if lang == "bi":
        return f"{family.en} / {family.ko}"
    return family.en


def product_description(rng: random.Random, family: Family, lang: str) -> str:
    """One sentence on how the product is made."""
    (p1_en, p1_ko), (p2_en, p2_ko) = rng.sample(family.processes, 2)
    ko = f"{p1_ko}·{p2_ko} 공정으로 생산하며 고객 사양에 맞춘 맞춤 제작이 가능합니다."
    en = f"Made in-house with {p1_en} and {p2_en}; built to customer drawings and specifications."
    return {"ko": ko, "en": en, "bi": f"{en} {ko}"}[lang]


def _level_ko(level: int) -> str:
    if level == 0:
        return "현재 스마트공장 도입을 준비하고 있습니다."
    if level <= 2:
        return f"스마트공장 기초 단계(레벨 {level})로 설비 가동 현황과 생산 실적을 실시간으로 모니터링합니다."
    if level == 3:
        return "스마트공장 고도화 지원사업으로 MES를 구축해 품질 데이터 기반의 공정 제어를 하고 있습니다(레벨 3)."
    return (f"대기업 상생형 스마트공장 지원으로 MES·ERP 연동과 AI 기반 불량 예측을 도입한 레벨 {level} "
            "스마트공장입니다.")


def _level_en(level: int) -> str:
    if level == 0:
        return "A smart-factory upgrade is being planned."
    if level <= 2:
        return f"Smart factory level {level}: machine status and output are monitored in real time."
    if level == 3:
        return "Smart factory level 3: an MES drives data-based process and quality control."
    return (f"Smart factory level {level}: MES and ERP are integrated, with AI-based defect prediction, "
            "built with a large-company partnership programme.")


def article(word: str) -> str:
    """``word`` with "a" or "an" before it."""
    return ("an " if word[:1].lower() in "aeiou" or word.startswith("OEM") else "a ") + word


def _list_ko(items: list[str]) -> str:
    return ", ".join(items)


def _list_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_ko(rng: random.Random, record: dict, families: list[Family], processes) -> str:
    """A Korean profile description."""
    name = record["name"].replace("(주)", "").replace("주식회사 ", "")
    industry = INDUSTRIES[record["industry"]][1] if record["industry"] != "other" else "생활용품·포장재"
    products = _list_ko([f.ko for f in families])
    region_ko = record["region"] if record["region"][0] >= "가" else None
    place = f"{region_ko}에 " if region_ko else ""
    opening = rng.choice((
        f"{josa(name, '은', '는')} {record['founded_year']}년 {place}설립된 {industry} 분야 "
        f"전문 중소기업으로, {josa(products, '을', '를')} 주력으로 생산합니다.",
        f"{record['founded_year']}년 창업 이래 {josa(products, '을', '를')} 전문적으로 제조해 온 "
        f"{industry} 기업입니다.",
        f"{josa(products, '을', '를')} 생산하는 {industry} 제조 전문 기업 "
        f"{name}입니다.",
    ))
    parts = [opening, f"{_list_ko([ko for _, ko in processes])} 공정을 자체 보유하고 있습니다.",
             _level_ko(record["smart_factory_level"])]
    if record["certifications"]:
        parts.append(f"{_list_ko(record['certifications'])} 인증을 취득했습니다.")
    if record["export_markets"]:
        parts.append(f"{_list_ko([MARKET_KO[m] for m in record['export_markets']])} 등에 수출 실적이 있으며 "
                     "신규 해외 거래처를 찾고 있습니다.")
    else:
        parts.append("첫 수출을 목표로 해외 바이어와의 거래를 희망합니다.")
    return " ".join(parts)


def describe_en(rng: random.Random, record: dict, families: list[Family], processes) -> str:
    """An English profile description."""
    products = _list_en([f.en for f in families])
    industry = INDUSTRIES[record["industry"]][0].lower() if record["industry"] != "other" else "consumer goods"
    opening = rng.choice((
        f"Founded in {record['founded_year']}, {record['name_en']} is {article(industry)} manufacturer "
        f"making {products}.",
        f"{record['name_en']} designs and manufactures {products} for OEM and private-label customers.",
        f"{article(industry).capitalize()} SME specialised in {products}, in business since {record['founded_year']}.",
    ))
    parts = [opening, f"In-house processes: {_list_en([en for en, _ in processes])}.",
             _level_en(record["smart_factory_level"])]
    if record["certifications"]:
        parts.append(f"Certified: {', '.join(record['certifications'])}.")
    if record["export_markets"]:
        parts.append(f"Exports to {_list_en([MARKET_EN[m] for m in record['export_markets']])}.")
    else:
        parts.append("Looking for its first export customers.")
    return " ".join(parts)


def describe_supplier(rng: random.Random, record: dict, families: list[Family], processes, lang: str) -> str:
    """The profile description in ``lang``: ``ko``, ``en`` or ``bi`` (English, then Korean)."""
    if lang == "ko":
        return describe_ko(rng, record, families, processes)
    if lang == "en":
        return describe_en(rng, record, families, processes)
    return describe_en(rng, record, families, processes) + "\n\n" + describe_ko(rng, record, families, processes)


BUYER_TYPES = {
    "en": ("distributor", "OEM", "brand owner", "contract manufacturer", "retail chain", "importer"),
    "de": ("Großhändler", "Maschinenbauer", "Importeur", "Markenhersteller"),
    "es": ("distribuidor", "importador", "fabricante", "marca"),
    "fr": ("distributeur", "importateur", "fabricant", "marque"),
    "ja": ("商社", "メーカー", "輸入販売会社"),
    "vi": ("nhà phân phối", "công ty nhập khẩu", "nhà sản xuất"),
    "ko": ("무역회사", "수출 대행사"),
}


def request_text(rng: random.Random, family: Family, lang: str, quantity: int, cert: str | None,
                 max_lead: int | None) -> tuple[str, str]:
    """Title and description of a buyer request in ``lang``."""
    buyer = rng.choice(BUYER_TYPES[lang])
    product = family.i18n.get(lang, family.en if lang == "en" else family.ko)
    qty = f"{quantity:,} {family.unit}"
    if lang == "en":
        title = rng.choice((f"Looking for {product} supplier", f"Sourcing {product}: {qty}",
                            f"RFQ: {product}", f"Korean manufacturer of {product} wanted"))
        en_procs = [en for en, _ in rng.sample(family.processes, 2)]
        body = rng.choice((
            f"We are {article(buyer)} looking for a Korean manufacturer of {product}.",
            f"We need a partner with {en_procs[0]} and {en_procs[1]} capability to make {product}.",
        ))
        body += f" Expected volume: {qty} per order."
        body += f" Delivery within {max_lead} days of PO." if max_lead else ""
        body += f" The supplier must be {cert} certified." if cert else ""
        body += rng.choice((" Samples first, then a yearly contract.", " Please quote FOB Busan.", ""))
        return title, body
    texts = {
        "de": (f"Suche Lieferanten für {product}",
               f"Wir sind ein {buyer} und suchen einen koreanischen Hersteller für {product}. "
               f"Menge: {qty} pro Auftrag.", f" Lieferzeit höchstens {max_lead} Tage.",
               f" Zertifizierung {cert} erforderlich."),
        "es": (f"Buscamos proveedor de {product}",
               f"Somos un {buyer} y buscamos un fabricante coreano de {product}. Volumen: {qty} por pedido.",
               f" Plazo de entrega máximo de {max_lead} días.", f" Se requiere certificación {cert}."),
        "fr": (f"Recherche fournisseur : {product}",
               f"Nous sommes un {buyer} et recherchons un fabricant coréen de {product}. "
               f"Volume : {qty} par commande.", f" Délai de livraison de {max_lead} jours maximum.",
               f" Certification {cert} exigée."),
        "ja": (f"{product}の調達先を探しています",
               f"当社は{buyer}です。韓国の{product}メーカーを探しています。数量は1回あたり{qty}です。",
               f"納期は{max_lead}日以内を希望します。", f"{cert}認証が必須です。"),
        "vi": (f"Tìm nhà cung cấp {product}",
               f"Chúng tôi là {buyer}, đang tìm nhà sản xuất {product} của Hàn Quốc. "
               f"Số lượng: {qty} mỗi đơn hàng.", f" Thời gian giao hàng tối đa {max_lead} ngày.",
               f" Yêu cầu chứng nhận {cert}."),
        "ko": (f"{product} 공급업체를 찾습니다",
               f"해외 바이어의 구매를 대행하는 {buyer}입니다. {product} 제조사를 찾고 있으며 주문당 수량은 "
               f"{qty}입니다.", f" 납기는 {max_lead}일 이내여야 합니다.", f" {cert} 인증이 필수입니다."),
    }
    title, body, lead_text, cert_text = texts[lang]
    return title, body + (lead_text if max_lead else "") + (cert_text if cert else "")
