"""Cross-field rules are written once per record type as (field, message) pairs; this turns them
into the ValidationError a model's clean() raises (a ModelForm shows it on its fields)."""

from django.core.exceptions import ValidationError


def rules_error(problems) -> ValidationError | None:
    """The error for `problems` ((field, message) pairs), each message a sentence; None if none."""
    errors: dict[str, list[str]] = {}
    for field, message in problems:
        errors.setdefault(field, []).append(f"{message}。")
    return ValidationError(errors) if errors else None
