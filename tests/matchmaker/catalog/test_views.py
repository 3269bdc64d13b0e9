"""The catalog pages list suppliers from SQL with filters, pagination and empty states."""
import re


def names(html):
    """Each card's name as shown first (English or romanized), in order."""
    return re.findall(r'<h2><a href="/suppliers/\d+">([^<]+)</a>', html)


def test_lists_suppliers_with_pagination(client, auth, users, make_supplier):
    for i in range(7):
        make_supplier(name=f"가{i}", name_en=f"Alpha {i}")
    auth.login("buyer@example.com")
    first = client.get("/").get_data(as_text=True)
    assert len(names(first)) == 5 and "Page 1 of 2 · 7 in all" in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert len(names(second)) == 2 and 'rel="prev"' in second
    assert client.get("/?page=9").status_code == 404


def test_text_search_matches_korean_and_english_and_escapes_wildcards(client, auth, users, make_supplier):
    make_supplier(name="대성정밀", name_en="Daesung Precision", description="5축 CNC 가공 전문")
    make_supplier(name="한빛전자", name_en="Hanbit Electronics", description="PCB assembly, 100% tested")
    auth.login("buyer@example.com")
    assert names(client.get("/?q=5축").get_data(as_text=True)) == ["Daesung Precision"]
    assert names(client.get("/?q=pcb").get_data(as_text=True)) == ["Hanbit Electronics"]
    assert names(client.get("/?q=100%25").get_data(as_text=True)) == ["Hanbit Electronics"]
    assert names(client.get("/?q=_").get_data(as_text=True)) == []


def test_filters(client, auth, users, make_supplier):
    make_supplier(name="a", name_en="Auto A", industry="auto-parts", certifications=["IATF 16949"],
                  smart_factory_level=4)
    make_supplier(name="b", name_en="Auto B", industry="auto-parts", certifications=["ISO 9001"],
                  smart_factory_level=2)
    make_supplier(name="c", name_en="Food C", industry="food", certifications=["HACCP", "할랄"],
                  smart_factory_level=5)
    auth.login("buyer@example.com")
    assert sorted(names(client.get("/?industry=auto-parts").get_data(as_text=True))) == ["Auto A", "Auto B"]
    assert names(client.get("/?certification=iatf 16949").get_data(as_text=True)) == ["Auto A"]
    assert names(client.get("/?certification=할랄").get_data(as_text=True)) == ["Food C"]
    assert sorted(names(client.get("/?min_level=4").get_data(as_text=True))) == ["Auto A", "Food C"]
    # Nonsense filter values are ignored, not errors.
    assert len(names(client.get("/?industry=toys&min_level=99").get_data(as_text=True))) == 3


def test_browsing_lists_complete_and_recently_updated_profiles_first(client, auth, users, make_supplier, db):
    sparse = make_supplier(name="(주)가나다", name_en=None, region=None, certifications=[], products=[])
    older = make_supplier(name_en="Older Complete", region="Gyeonggi Ansan", export_markets=["US"], employees=40)
    make_supplier(name_en="Newer Complete", region="Gyeonggi Ansan", export_markets=["US"], employees=40)
    auth.login("buyer@example.com")
    listed = names(client.get("/").get_data(as_text=True))
    assert listed == ["Newer Complete", "Older Complete", "Ganada Co., Ltd."]
    older.description = "Updated just now"
    db.session.commit()
    assert names(client.get("/").get_data(as_text=True))[0] == "Older Complete"
    assert sparse.name in client.get("/").get_data(as_text=True)  # the Korean name is shown beside the romanized one


def test_empty_states(client, auth, users, make_supplier):
    auth.login("buyer@example.com")
    assert "The catalog is empty" in client.get("/").get_data(as_text=True)
    make_supplier()
    html = client.get("/?q=zzzz").get_data(as_text=True)
    assert "No supplier matches these filters" in html and "Clear all filters" in html


def test_supplier_page_hides_contacts_from_buyers(client, auth, users, make_supplier):
    supplier = make_supplier(contact_email="secret@maker.kr", products=[{"name": "하우징", "hs_code": "8708.99",
                                                                         "moq": 500, "unit": "pcs",
                                                                         "lead_time_days": 30,
                                                                         "unit_price_usd": 4.5}])
    auth.login("buyer@example.com")
    html = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert "하우징" in html and "8708.99" in html and "500 pcs" in html and "$4.50 / pcs" in html
    assert "secret@maker.kr" not in html and 'data-testid="contacts"' not in html
    auth.logout()
    auth.login("specialist@example.com")
    assert "secret@maker.kr" in client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)


def test_unknown_supplier_is_404(client, auth, users):
    auth.login("buyer@example.com")
    assert client.get("/suppliers/999").status_code == 404


def test_visitors_browse_the_catalog_and_profiles_without_contacts(client, make_supplier):
    supplier = make_supplier(name_en="Open Maker", contact_email="secret@maker.kr", contact_phone="+82-2-555")
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="landing"' in home and "Open Maker" in home and "Register as a buyer" in home
    page = client.get(f"/suppliers/{supplier.id}").get_data(as_text=True)
    assert "Open Maker" in page and "secret@maker.kr" not in page and "+82-2-555" not in page
    assert "Edit profile" not in page
    assert client.get(f"/suppliers/{supplier.id}/edit").status_code == 302  # sign in first
    assert client.get("/requests/new").headers["Location"].startswith("/auth/login?next=")


def test_the_landing_section_is_for_visitors_only(client, auth, users, make_supplier):
    make_supplier()
    auth.login("buyer@example.com")
    assert 'data-testid="landing"' not in client.get("/").get_data(as_text=True)


def test_an_unreadable_certification_filter_is_not_an_error(client, make_supplier):
    make_supplier(name_en="Any Maker")
    for url in ("/?certification=-", "/?certification=%20/%20", "/?q=cnc&certification=-"):
        response = client.get(url)
        assert response.status_code == 200 and "Any Maker" not in response.get_data(as_text=True), url
