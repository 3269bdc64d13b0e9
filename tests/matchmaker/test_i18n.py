"""English and Korean: chosen by the browser, switched by the visitor, remembered, and complete."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from matchmaker.extensions import db as _db
from matchmaker.models import User

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "matchmaker" / "translations" / "ko" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(autouse=True)
def compiled_catalog():
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        pytest.fail("the Korean catalog is not compiled or is older than its .po: run `make translations`")


def test_the_browser_language_decides_before_any_choice(client):
    html = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ko">' in html and "로그인" in html
    assert "스마트공장" in html  # the landing section speaks the buyer's language
    html = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html


def test_switching_is_remembered_in_a_cookie_and_returns_to_the_page(client):
    response = client.get("/language/ko?next=/auth/login")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "lang=ko" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert '<html lang="ko">' in client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert client.get("/language/en?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/language/fr").status_code == 404


def test_a_signed_in_users_choice_is_kept_on_the_account(client, auth, users, db):
    auth.login("buyer@example.com")
    client.get("/language/ko")
    assert db.session.get(User, users["buyer"].id).locale == "ko"
    client.delete_cookie("lang")
    html = client.get("/requests/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ko">' in html and "내 소싱 요청" in html


def test_forms_errors_and_error_pages_are_translated(client, auth, users):
    client.get("/language/ko")
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "이 주소에는 페이지가 없습니다." in missing.get_data(as_text=True)
    auth.login("buyer@example.com")
    html = client.get("/requests/new").get_data(as_text=True)
    assert '<option value="DE">독일</option>' in html  # country names in the interface language
    assert "* 표시는 필수 항목입니다." in html
    html = client.post("/requests/new", data={"csrf_token": "x"}).get_data(as_text=True)
    assert "Fields marked" not in html and "양식" in html  # the expired-form page, in Korean


def test_korean_content_is_marked_as_korean(client, make_supplier):
    supplier = make_supplier(name="한빛사출", name_en=None, description="플라스틱 사출성형 전문 기업입니다.")
    html = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert '<p class="subtitle" lang="ko">한빛사출' in html and '<p class="description" lang="ko">' in html


def test_every_interface_text_is_translated(tmp_path):
    """The Korean catalog covers every message in the code and templates (extracted afresh here)."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "-k", "ngettext:1,2", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot.open("rb")) if m.id}
    catalog = read_po(PO.open("rb"))
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy}
    missing = sorted(wanted - translated)
    assert missing == [], f"untranslated (run `make translations-extract`, then translate): {missing[:10]}"
