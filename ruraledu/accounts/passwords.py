"""Password rule of 等保三级 (GB/T 22239-2019, 8.1.4.1): long enough and of mixed kinds."""

import string

from django.core.exceptions import ValidationError

KINDS = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


def character_kinds(password: str) -> list[str]:
    """The names of the kinds of characters `password` uses."""
    return [name for name, test in KINDS if any(map(test, password))]


class ComplexityValidator:
    """At least `min_length` characters (8 or more) of at least `min_kinds` of the four kinds."""

    def __init__(self, min_length: int = 8, min_kinds: int = 3):
        self.min_length = max(min_length, 8)
        self.min_kinds = min_kinds

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"密码太短：至少需要 {self.min_length} 个字符，现为 {len(password)} 个。",
                    code="password_too_short",
                )
            )
        used = character_kinds(password)
        if len(used) < self.min_kinds:
            errors.append(
                ValidationError(
                    f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_kinds} 类，"
                    f"现只有 {len(used)} 类（{'、'.join(used) or '无'}）。",
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            f"密码至少 {self.min_length} 个字符，并包含大写字母、小写字母、数字、符号中的"
            f"至少 {self.min_kinds} 类。"
        )
