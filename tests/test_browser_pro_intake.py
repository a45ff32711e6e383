import pytest

from organisations.models import Membership, Organisation
from signals.models import PhoneNumber, Signal
from tests.factories import OrganisationFactory
from tests.helpers import current_totp, member_of, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lange-zin-met-woorden-42"


def test_professional_signs_in_with_totp_and_logs_a_full_signal(page, reference_data):
    police = OrganisationFactory(name="Politie AVIM", kind=Organisation.Kind.POLICE)
    user = member_of(
        police, Membership.Role.PROFESSIONAL, email="agent@politie.test", password=PASSWORD
    )
    device = totp_device(user)

    page.goto("/pro/signals/new/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/pro/login/'] button[type=submit]").click()
    page.wait_for_url("**/pro/2fa/verify/")
    page.locator("input[name=token]").fill(current_totp(device))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/pro/signals/new/")

    page.get_by_label("Your own reference").fill("AVIM-2026-17")
    page.get_by_label("Is a minor involved?").select_option("no")
    page.locator("[name=persons-0-name]").fill("Ana")
    page.locator("[name=persons-0-estimated_age]").fill("24")
    page.locator("[name=persons-0-phone_numbers]").fill("06 1234 5678")
    page.locator("[name=locations-0-kind]").select_option("hotel")
    page.locator("[name=locations-0-municipality]").fill("Amsterdam")
    page.locator("[name=bank_accounts-0-iban]").fill("NL91 ABNA 0417 1643 00")
    # A second person, added without scripts; what was typed stays.
    page.get_by_role("button", name="Add another person").click()
    page.locator("[name=persons-1-role]").select_option("suspect")
    page.locator("[name=persons-1-name]").fill("The driver")
    assert page.locator("[name=persons-0-name]").input_value() == "Ana"
    page.get_by_label("What happened? Your account").fill("Met her at a hotel; he holds her pass.")
    page.get_by_role("button", name="Submit signal").click()

    page.wait_for_url("**/pro/signals/*-*/")
    main = page.locator("main").inner_text()
    assert "The signal was received" in main
    assert "+31612345678" in main
    assert "NL91ABNA0417164300" in main

    page.get_by_role("link", name="Signals", exact=True).click()
    page.wait_for_url("**/pro/signals/")
    assert "AVIM-2026-17" in page.locator("main").inner_text()
    signal = Signal.objects.get()
    assert signal.persons.count() == 2
    assert PhoneNumber.objects.get().number == "+31612345678"
