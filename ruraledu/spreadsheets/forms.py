from django import forms
from django.conf import settings
from django.utils import timezone

from .safety import UploadRefused, check_upload

YEARS_BACK = 5


def current_school_year() -> int:
    """学年 2025 runs from 2025-09-01 to 2026-08-31."""
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def school_year_choices() -> list[tuple[int, str]]:
    current = current_school_year()
    return [(y, f"{y}—{y + 1} 学年") for y in range(current + 1, current - YEARS_BACK - 1, -1)]


class ImportUploadForm(forms.Form):
    """An .xlsx upload and its school year. The file is checked for safety here, so a bad
    file is refused on the form, before anything is stored."""

    file = forms.FileField(
        label="Excel 文件",
        help_text="请使用本页提供的导入模板，保存为 .xlsx 格式。",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    year = forms.TypedChoiceField(label="学年", coerce=int, choices=school_year_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = current_school_year()
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件过大（{upload.size / 1024 / 1024:.1f} MB），上限为 {limit / 1024 / 1024:.1f} MB。"
                "请拆分后分批导入。"
            )
        content = upload.read()
        try:
            check_upload(content, upload.name)
        except UploadRefused as exc:
            raise forms.ValidationError(exc.message) from None
        self.content = content
        return upload
