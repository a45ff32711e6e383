import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_tells_a_person_in_danger_to_call_112(page):
    page.goto("/nl/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "112" in page.get_by_role("alert").inner_text()
