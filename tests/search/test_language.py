"""Query language groups decide the fusion weights: English, Korean, or another language."""
import pytest

from search.language import query_language
from search.ranking import retriever_weights


@pytest.mark.parametrize("text, group", [
    ("Korean manufacturer of office furniture wanted", "en"),
    ("brake pads", "en"),  # short: langid leans elsewhere, but not surely
    ("ISO 9001", "en"),
    ("", "en"),
    ("고래 도축", "ko"),
    ("cnc 가공", "ko"),
    ("Buscamos proveedor de muebles de oficina", "other"),
    ("Suche Lieferanten für Edelstahl-Küchenutensilien", "other"),
    ("Tìm nhà cung cấp kim chi", "other"),
    ("エッチング装置用セラミック部品の調達先を探しています", "other"),
    ("Поставщик клапанов", "other"),
])
def test_query_language_groups(text, group):
    assert query_language(text) == group


def test_minilm_reads_english_queries_only():
    weights = {"lexical": 0.5, "minilm": 2.0, "usem3": 1.0, "e5": 0.5}
    assert retriever_weights(weights, "en") == weights
    for group in ("ko", "other"):
        assert retriever_weights(weights, group) == {**weights, "minilm": 0.0}
    assert retriever_weights(weights, None) == weights
