"""Kazakhstan phone numbers: the one parser, for what people type and for the directory file."""

from __future__ import annotations

import phonenumbers


def parse_kz_phone(text: str) -> str | None:
    """A Kazakhstan number in E.164 ('+77012345678'), or None when it is not one.

    Accepts what people type: '8 701 234 56 78', '+7 (701) 234-56-78', '7012345678'. +7 is
    shared with Russia, so the number's region is checked, not only its country code.
    """
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 32:
        return None
    try:
        number = phonenumbers.parse(cleaned, "KZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.region_code_for_number(number) != "KZ":
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str) -> str:
    """`parse_kz_phone` for a file an operator edits: ValueError with a message fit for them."""
    text = str(raw).strip()
    phone = parse_kz_phone(text)
    if phone is None:
        raise ValueError(f'"{text}" is not a Kazakhstan phone number')
    return phone
