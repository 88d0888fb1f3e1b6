"""Points as officers write them ("1,75", "2.5", "-1") and as stored (hundredths: 175)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def parse_points(value) -> int | None:
    """Hundredths of a point, or None for an empty value. Raises ValueError when the text is
    not a number with at most two decimals."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        return value * 100
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite() or abs(number) > Decimal(100000):
        raise ValueError("out of range")
    hundredths = number * 100
    if hundredths != hundredths.to_integral_value():
        raise ValueError("more than two decimals")
    return int(hundredths)


def show_points(cp: int | None) -> str:
    """"17,5" for 1750 (Vietnamese decimal comma); "" for None."""
    if cp is None:
        return ""
    text = f"{Decimal(cp) / 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def as_number(cp: int | None) -> float | None:
    return None if cp is None else cp / 100
