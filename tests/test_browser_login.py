import pytest

from organisations.models import Membership, Organisation
from tests.factories import OrganisationFactory
from tests.helpers import current_totp, member_of, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lange-zin-met-woorden-42"


def test_professional_signs_in_with_password_and_totp(page):
    police = OrganisationFactory(name="Politie AVIM", kind=Organisation.Kind.POLICE)
    user = member_of(
        police, Membership.Role.PROFESSIONAL, email="agent@politie.test", password=PASSWORD
    )
    device = totp_device(user)

    page.goto("/pro/")
    assert "/pro/login/" in page.url
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/pro/login/'] button[type=submit]").click()
    page.wait_for_url("**/pro/2fa/verify/")
    page.locator("input[name=token]").fill(current_totp(device))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/pro/")
    assert "Politie AVIM" in page.locator("main").inner_text()
