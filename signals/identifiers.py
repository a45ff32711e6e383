"""Normalising identifiers that connect signals: phone, licence plate, IBAN, e-mail, website,
address.

Pure functions: each takes what a person typed and returns the one canonical form that is stored
beside the raw input, so that the same number, plate or account typed differently is found as the
same (verbanden). Invalid input raises django's ValidationError with a translated message, so
forms can show it next to the field. Every intake channel (the public form, the professional form
and the API) normalises here, so the same number is stored alike whichever way it came in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import jellyfish
import phonenumbers
from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from meldpunt.core import crypto

DEFAULT_PHONE_REGION = "NL"

# Dutch licence plates by sidecode (1-14), written without dashes: L = letter, D = digit.
_SIDECODES = [
    "LLDDDD",  # 1  XX-99-99
    "DDDDLL",  # 2  99-99-XX
    "DDLLDD",  # 3  99-XX-99
    "LLDDLL",  # 4  XX-99-XX
    "LLLLDD",  # 5  XX-XX-99
    "DDLLLL",  # 6  99-XX-XX
    "DDLLLD",  # 7  99-XXX-9
    "DLLLDD",  # 8  9-XXX-99
    "LLDDDL",  # 9  XX-999-X
    "LDDDLL",  # 10 X-999-XX
    "LLLDDL",  # 11 XXX-99-X
    "LDDLLL",  # 12 X-99-XXX
    "DLLDDD",  # 13 9-XX-999
    "DDDLLD",  # 14 999-XX-9
]
_DUTCH_PLATE = re.compile(
    "^(?:"
    + "|".join(code.replace("L", "[A-Z]").replace("D", "[0-9]") for code in _SIDECODES)
    + ")$"
)
# Foreign plates differ per country; letters and digits, 2 to 10 of them, is what they share.
_FOREIGN_PLATE = re.compile(r"^[A-Z0-9]{2,10}$")
_PLATE_SEPARATORS = re.compile(r"[\s\-.·]+")

# Dutch postcode: four digits not starting with 0, two letters; SA, SD and SS are not issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*(?!SA|SD|SS)([A-Z]{2})$")
_HOUSE_NUMBER = re.compile(r"^([1-9][0-9]{0,4})\s*[-\s]?\s*([A-Z0-9]{0,6})$")
_HOSTNAME = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def normalise_phone(raw: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """A phone number in E.164 (+31612345678); Dutch numbers may be typed without +31."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": raw}
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid phone number. Foreign numbers start with + and the "
                "country code."
            ),
            code="invalid_phone",
            params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_licence_plate(raw: str, country: str = "NL") -> str:
    """A licence plate in capitals without dashes or spaces (12-ABC-3 → 12ABC3).

    Dutch plates must match one of the sidecodes; other countries only a sane shape.
    """
    plate = _PLATE_SEPARATORS.sub("", raw.strip().upper())
    pattern = _DUTCH_PLATE if country.upper() == "NL" else _FOREIGN_PLATE
    if not pattern.match(plate):
        raise ValidationError(
            _("“%(value)s” is not a valid licence plate."),
            code="invalid_plate",
            params={"value": raw},
        )
    return plate


def normalise_iban(raw: str) -> str:
    """An IBAN in capitals without spaces, with a correct country length and checksum."""
    try:
        return IBAN(raw.strip()).compact
    except SchwiftyException as error:
        raise ValidationError(
            _("“%(value)s” is not a valid IBAN. Check the number, it has a checksum."),
            code="invalid_iban",
            params={"value": raw},
        ) from error


def normalise_email(raw: str) -> str:
    """An e-mail address without surrounding spaces, in lower case."""
    email = raw.strip().lower()
    validate_email(email)
    return email


def website_domain(raw: str) -> str:
    """The domain of a website or ad link, lower case and without `www.`.

    `https://www.Example.nl/ad/123` and `example.nl` both give `example.nl`.
    """
    value = raw.strip()
    if "://" not in value:
        value = f"http://{value}"
    try:
        hostname = (urlsplit(value).hostname or "").rstrip(".")
        hostname = hostname.encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError) as error:
        raise ValidationError(
            _("“%(value)s” is not a web address."), code="invalid_url", params={"value": raw}
        ) from error
    hostname = hostname.removeprefix("www.")
    if not _HOSTNAME.match(hostname):
        raise ValidationError(
            _("“%(value)s” is not a web address."), code="invalid_url", params={"value": raw}
        )
    return hostname


def normalise_postcode(raw: str) -> str:
    """A Dutch postcode as 1234AB."""
    match = _POSTCODE.match(raw.strip().upper())
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a Dutch postcode (four digits and two letters, e.g. 1234 AB)."),
            code="invalid_postcode",
            params={"value": raw},
        )
    return "".join(match.groups())


def normalise_house_number(raw: str) -> str:
    """A house number with its addition in capitals: `12 a`, `12-A` → `12A`."""
    match = _HOUSE_NUMBER.match(raw.strip().upper())
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a house number."),
            code="invalid_house_number",
            params={"value": raw},
        )
    return "".join(match.groups())


# A KvK number (Handelsregister) is eight digits and nothing more: KVK publishes no check digit
# for it ("a sequence number without further logic", see signals/sbi.py for the sources), so the
# format is all that can be checked. Spaces and dots people type between groups are dropped.
_KVK_NUMBER = re.compile(r"^[0-9]{8}$")
_KVK_SEPARATORS = re.compile(r"[\s.\-]+")


def normalise_kvk_number(raw: str) -> str:
    """A KvK number as its eight digits: `1234 5678` → `12345678`."""
    number = _KVK_SEPARATORS.sub("", raw.strip())
    if not _KVK_NUMBER.match(number):
        raise ValidationError(
            _("“%(value)s” is not a KvK number (eight digits, e.g. 12345678)."),
            code="invalid_kvk_number",
            params={"value": raw},
        )
    return number


def address_key(postcode: str, house_number: str) -> str:
    """What identifies a Dutch address: postcode and house number (`1234AB 12A`)."""
    return f"{normalise_postcode(postcode)} {normalise_house_number(house_number)}"


# Blind indexes (see meldpunt.core.crypto): identifiers are stored encrypted, and beside them a
# keyed hash of their normalised form, which is what connections and searches compare. One purpose
# per kind of identifier; the same purpose wherever that kind is kept (a reporter's phone and a
# person's phone give the same key). Each returns "" when there is nothing to index.


def normalise_name(raw: str) -> str:
    """A name's words in lower case without accents, single-spaced, initials kept: `J.  de
    Vriës` → `j de vries`, so that J. and P. de Vries are two people, and a name of one-character
    words (李 明) still has a key."""
    return " ".join(crypto.words(raw, shortest=1))


def _key(purpose: str, normalised: str) -> str:
    return crypto.blind_index(purpose, normalised) if normalised else ""


def _lenient(normalise, raw: str) -> str:
    """The normalised form, or the trimmed input as typed when it does not normalise (data from
    before the checks, or from a partner system): it then only matches the same spelling."""
    if not raw or not raw.strip():
        return ""
    try:
        return normalise(raw)
    except ValidationError:
        return raw.strip().lower()


def phone_key(raw: str) -> str:
    return _key("phone", _lenient(normalise_phone, raw))


def email_key(raw: str) -> str:
    return _key("email", _lenient(normalise_email, raw))


def plate_key(raw: str) -> str:
    return _key("plate", _PLATE_SEPARATORS.sub("", raw.strip().upper()))


def iban_key(raw: str) -> str:
    return _key("iban", _lenient(normalise_iban, raw))


def kvk_key(raw: str) -> str:
    return _key("kvk", _lenient(normalise_kvk_number, raw))


def domain_key(raw: str) -> str:
    return _key("website", _lenient(website_domain, raw))


def address_hash(postcode: str, house_number: str) -> str:
    """The blind index of a Dutch address; "" unless both postcode and house number are valid."""
    if not (postcode.strip() and house_number.strip()):
        return ""
    try:
        return _key("address", address_key(postcode, house_number))
    except ValidationError:
        return ""


def name_key(raw: str) -> str:
    return _key("name", normalise_name(raw))


def identity_key(name: str, date_of_birth: date | None) -> str:
    """A person as name and date of birth; "" unless both are known."""
    normalised = normalise_name(name)
    if not normalised or date_of_birth is None:
        return ""
    return _key("person", f"{normalised}|{date_of_birth.isoformat()}")


# Possible connections (not proof): the same name written in another script or spelled by ear
# ("Иван Петров" and "Ivan Petrov", "Edito" and "Edoto"), with the same year of birth. Each key is
# a blind index like the exact ones; a match is only put to a coordinator, never acted on.


def transliterated_name(raw: str) -> str:
    """A name in Latin letters, its words in alphabetical order (so that the order of first and
    family name does not matter): `Петров Иван` → `ivan petrov`."""
    return " ".join(sorted(crypto.words(anyascii(raw), shortest=1)))


def phonetic_name(raw: str) -> str:
    """The name's words as they sound (Metaphone of the transliterated words, in order): `Edito`
    and `Edoto` both give `ETT`."""
    codes = (jellyfish.metaphone(word) for word in transliterated_name(raw).split())
    return " ".join(sorted(code for code in codes if code))


def _loose_key(purpose: str, name: str, date_of_birth: date | None) -> str:
    if not name or date_of_birth is None:
        return ""
    return _key(purpose, f"{name}|{date_of_birth.year}")


def transliterated_key(name: str, date_of_birth: date | None) -> str:
    """A person as their name in Latin letters and their year of birth; "" unless both known."""
    return _loose_key("person transliterated", transliterated_name(name), date_of_birth)


def phonetic_key(name: str, date_of_birth: date | None) -> str:
    """A person as how their name sounds and their year of birth; "" unless both known."""
    return _loose_key("person phonetic", phonetic_name(name), date_of_birth)


def search_keys(text: str) -> dict[str, str]:
    """The blind indexes a typed search stands for, by kind of identifier ("phone", "email",
    "plate", "iban", "website", the purposes above): `06-1234 5678` and `+31 6 12345678` give the
    same phone key, `12-abc-3` the key of plate 12ABC3. The whole text is tried as each kind, and
    only a kind it really is counts, so that an ordinary word is not looked up as a number."""
    text = text.strip()
    if not text or len(text) > 300:
        return {}
    keys = {}
    for kind, normalise, key in (
        ("phone", normalise_phone, phone_key),
        ("email", normalise_email, email_key),
        ("iban", normalise_iban, iban_key),
        ("website", website_domain, domain_key),
        ("kvk", normalise_kvk_number, kvk_key),
    ):
        try:
            keys[kind] = key(normalise(text))
        except ValidationError:
            continue
    if "@" in text:
        keys.pop("website", None)  # the domain of an e-mail address is not a website
    plate = _PLATE_SEPARATORS.sub("", text.upper())
    if _DUTCH_PLATE.match(plate) or (_FOREIGN_PLATE.match(plate) and re.search(r"\d", plate)):
        keys["plate"] = plate_key(plate)
    return keys


# Identifiers written in free text (a public report's description): found, then normalised by the
# same functions as typed ones, so that they are stored and linked alike. Each candidate a pattern
# finds must still pass its normaliser (a checksum, a sidecode, a valid number).
FOUND_PER_KIND = 10
# Every repetition is bounded (the lengths an address part may have), so that a hostile text of
# dots or @ signs costs a bounded amount of work per position instead of backtracking for ever.
_EMAIL_IN_TEXT = re.compile(r"[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_URL_IN_TEXT = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']{1,1990}"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,4}\.(?:nl|com|net|org|eu|be|de|info|biz|"
    r"io|co|uk|fr|es|it|pl|ro|bg|ru|ua|cz|sk|hu|lt|tr|cn|vn|th|xyz|online|site|shop)\b"
    r"(?:/[^\s<>\"']{0,1900})?",
    re.IGNORECASE,
)
_IBAN_IN_TEXT = re.compile(
    r"\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE
)
# A Dutch plate as people write it: three groups with dashes (12-ABC-3, AB-12-CD).
_PLATE_IN_TEXT = re.compile(r"\b[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}\b", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class FoundIdentifiers:
    """Identifiers found in a text, each as (as written, normalised)."""

    phones: list[tuple[str, str]] = field(default_factory=list)
    emails: list[tuple[str, str]] = field(default_factory=list)
    plates: list[tuple[str, str]] = field(default_factory=list)
    ibans: list[tuple[str, str]] = field(default_factory=list)
    websites: list[tuple[str, str]] = field(default_factory=list)  # (address, domain)


def _collect(found: list, seen: set, raw: str, normalise) -> None:
    if len(found) >= FOUND_PER_KIND:
        return
    try:
        value = normalise(raw)
    except ValidationError:
        return
    if value not in seen:
        seen.add(value)
        found.append((raw, value))


def find_identifiers(text: str) -> FoundIdentifiers:
    """Phone numbers (Dutch ones also without +31), e-mail addresses, IBANs, Dutch licence plates
    and web addresses written in `text`, normalised, at most FOUND_PER_KIND of each kind.

    E-mail addresses, web addresses and IBANs are taken out of the text before phone numbers
    are looked for, so that the digits of an account number are not read as a phone number.
    """
    found = FoundIdentifiers()
    rest = text
    for pattern, into, normalise in (
        (_EMAIL_IN_TEXT, found.emails, normalise_email),
        (_URL_IN_TEXT, found.websites, website_domain),
        (_IBAN_IN_TEXT, found.ibans, normalise_iban),
    ):
        seen: set[str] = set()
        for match in pattern.finditer(rest):
            raw = match.group().rstrip(_TRAILING)
            if pattern is _URL_IN_TEXT and "@" in rest[max(match.start() - 1, 0) : match.start()]:
                continue
            _collect(into, seen, raw, normalise)
        rest = pattern.sub(lambda match: " " * len(match.group()), rest)
    seen = set()
    for match in _PLATE_IN_TEXT.finditer(rest):
        _collect(found.plates, seen, match.group(), normalise_licence_plate)
    seen = set()
    for match in phonenumbers.PhoneNumberMatcher(
        rest, DEFAULT_PHONE_REGION, leniency=phonenumbers.Leniency.VALID
    ):
        if len(found.phones) >= FOUND_PER_KIND:
            break
        _collect(found.phones, seen, match.raw_string, normalise_phone)
    return found
