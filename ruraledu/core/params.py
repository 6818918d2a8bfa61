"""Values read from a request's parameters."""


def int_param(value: str | None) -> int | None:
    """A whole number given in digits (an id in an address or a form), else None: a value
    that is not one, or too long for an id, is as none given."""
    # isdigit() also holds for "²" and other digits int() refuses
    if value is None or not (value.isascii() and value.isdigit()) or len(value) >= 10:
        return None
    return int(value)
