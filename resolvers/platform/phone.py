"""Indonesian phone numbers, normalised to E.164."""

import phonenumbers
from phonenumbers import PhoneNumberType


def normalise_phone(raw: str, *, mobile_only: bool = False) -> str | None:
    """The E.164 form of an Indonesian number written as 0812..., +62812... or 62812...

    None when the text is not a valid Indonesian number (or not a mobile one when asked).
    """
    text = raw.strip()
    if text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    if mobile_only and phonenumbers.number_type(number) not in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
