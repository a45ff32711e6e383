"""Normalising the identifiers that connect signals (signals.identifiers): pure functions."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from signals import identifiers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12345678", "+31612345678"),
        ("06-1234 5678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("020 - 123 45 67", "+31201234567"),
        ("+48 512 345 678", "+48512345678"),
        ("+40 721 234 567", "+40721234567"),
    ],
)
def test_phone_numbers_become_e164(raw, expected):
    assert identifiers.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "06 1234", "not a number", "+99 123", ""])
def test_impossible_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        identifiers.normalise_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("XX-99-99", "XX9999"),  # sidecode 1
        ("99-xx-99", "99XX99"),  # 3
        ("12-abc-3", "12ABC3"),  # 7
        ("1-ABC-23", "1ABC23"),  # 8
        ("AB-123-C", "AB123C"),  # 9
        ("X-999-XX", "X999XX"),  # 10
        ("XXX-99-X", "XXX99X"),  # 11
        ("X-99-XXX", "X99XXX"),  # 12
        ("9-XX-999", "9XX999"),  # 13
        ("999 XX 9", "999XX9"),  # 14
    ],
)
def test_dutch_plates_are_capitals_without_dashes(raw, expected):
    assert identifiers.normalise_licence_plate(raw) == expected


@pytest.mark.parametrize("raw", ["ABCDEF", "123456", "AB-12", "A1B2C3D", "123-ABC"])
def test_plates_outside_the_sidecodes_are_refused(raw):
    with pytest.raises(ValidationError):
        identifiers.normalise_licence_plate(raw)


def test_foreign_plates_only_need_a_sane_shape():
    assert identifiers.normalise_licence_plate("b 123 xyz", country="ro") == "B123XYZ"
    with pytest.raises(ValidationError):
        identifiers.normalise_licence_plate("!", country="PL")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
        ("nl91abna0417164300", "NL91ABNA0417164300"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ],
)
def test_ibans_are_compact_capitals(raw, expected):
    assert identifiers.normalise_iban(raw) == expected


@pytest.mark.parametrize("raw", ["NL91ABNA0417164301", "NL91ABNA04171643", "XX00", "hello"])
def test_ibans_with_a_wrong_checksum_or_length_are_refused(raw):
    with pytest.raises(ValidationError):
        identifiers.normalise_iban(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Example.nl/ad/123?x=1", "example.nl"),
        ("example.nl", "example.nl"),
        ("http://sub.example.co.uk:8080/", "sub.example.co.uk"),
        ("WWW.EXAMPLE.NL.", "example.nl"),
        ("bünde.de", "xn--bnde-0ra.de"),
    ],
)
def test_websites_become_their_domain(raw, expected):
    assert identifiers.website_domain(raw) == expected


@pytest.mark.parametrize("raw", ["nope", "http://", "a b.nl", "http://-x-.nl"])
def test_things_that_are_no_web_address_are_refused(raw):
    with pytest.raises(ValidationError):
        identifiers.website_domain(raw)


def test_email_addresses_are_lower_case_and_checked():
    assert identifiers.normalise_email("  Ana.P@Example.RO ") == "ana.p@example.ro"
    with pytest.raises(ValidationError):
        identifiers.normalise_email("ana@")


@pytest.mark.parametrize(
    ("postcode", "house_number", "expected"),
    [
        ("1012 ab", "5", "1012AB 5"),
        ("1012AB", "5-a", "1012AB 5A"),
        ("3011 XX", "12 bis", "3011XX 12BIS"),
    ],
)
def test_an_address_is_identified_by_postcode_and_house_number(postcode, house_number, expected):
    assert identifiers.address_key(postcode, house_number) == expected


@pytest.mark.parametrize("postcode", ["0123 AB", "1234 SS", "12345", "AB 1234"])
def test_impossible_postcodes_are_refused(postcode):
    with pytest.raises(ValidationError):
        identifiers.normalise_postcode(postcode)


# Properties: normalising is idempotent, so a stored value typed again finds itself.
dutch_mobile = st.integers(min_value=0, max_value=9_999_999).map(lambda n: f"061{n:07d}")


@given(dutch_mobile)
def test_a_normalised_phone_number_normalises_to_itself(raw):
    number = identifiers.normalise_phone(raw)
    assert number == identifiers.normalise_phone(number)
    assert number == identifiers.normalise_phone(" ".join([raw[:2], raw[2:6], raw[6:]]))


letters = st.sampled_from("BDFGHJKLNPRSTVXZ")
digits = st.sampled_from("0123456789")


@given(st.sampled_from(identifiers._SIDECODES), st.data())
def test_every_sidecode_is_accepted_with_or_without_dashes(sidecode, data):
    plate = "".join(data.draw(letters if kind == "L" else digits) for kind in sidecode)
    dashed = f"{plate[:2]}-{plate[2:4]}-{plate[4:]}".lower()
    assert identifiers.normalise_licence_plate(plate) == plate
    assert identifiers.normalise_licence_plate(dashed) == plate


@given(st.text(max_size=30))
def test_any_text_gives_a_plate_or_a_validation_error(raw):
    try:
        plate = identifiers.normalise_licence_plate(raw)
    except ValidationError:
        return
    assert plate == identifiers.normalise_licence_plate(plate)
    assert plate.isalnum()
    assert plate.isupper() or plate.isdigit()


def test_names_match_however_written_but_initials_tell_people_apart():
    assert identifiers.name_key("JAN  de Vriës") == identifiers.name_key("jan de vries")
    assert identifiers.name_key("J. Jansen") != identifiers.name_key("P. Jansen")
    assert identifiers.name_key("J. Jansen") != identifiers.name_key("Jansen")
    # A name of one-character words (Chinese, say) is still found.
    assert identifiers.name_key("李 明") == identifiers.name_key("李  明")
    assert identifiers.name_key("李 明") not in ("", identifiers.name_key("李"))
