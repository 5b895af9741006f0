"""Whether a figure computed by pmot fits the column that keeps it. A form bounds what people
type; a figure derived from it (a quotient, a percentage) is checked here before it is saved,
so an out-of-scale result is a message, never a database error."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models


def fits(value: Decimal, field: models.DecimalField) -> bool:
    """True when `value`, rounded to the field's decimal places, fits its digits."""
    if not value.is_finite():
        return False
    whole_digits = field.max_digits - field.decimal_places
    # Compare magnitudes first: rounding a huge figure would exhaust the decimal context.
    if value and value.adjusted() >= whole_digits:
        return False
    rounded = value.quantize(Decimal(1).scaleb(-field.decimal_places), rounding=ROUND_HALF_UP)
    return not rounded or rounded.adjusted() < whole_digits
