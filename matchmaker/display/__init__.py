"""English display forms for Korean-only profile data: names, codes, regions, levels and HS codes.

Plain functions without Flask; ``matchmaker.templating`` registers them as Jinja filters.
"""
from .codes import country_choices, country_name, language_name
from .hangul import has_hangul
from .hs import hs_description
from .levels import smart_factory_explanation, smart_factory_label
from .names import display_name, name_pair, romanized_name
from .products import product_facts
from .regions import region_en
from .terms import certification, certification_id, certification_label, english_key_terms, english_terms, has_latin

__all__ = ["certification", "certification_id", "certification_label", "english_key_terms", "english_terms",
           "has_latin", "product_facts", "country_choices", "country_name", "display_name", "has_hangul", "hs_description", "language_name", "name_pair", "region_en",
           "romanized_name", "smart_factory_explanation", "smart_factory_label"]
