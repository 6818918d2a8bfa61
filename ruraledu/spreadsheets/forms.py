from django import forms
from django.conf import settings

from ruraledu.core.schoolyear import collecting_school_year, school_year_label, upload_years

from .base import IMPORTERS
from .safety import UploadRefused, check_upload


def school_year_choices() -> list[tuple[int, str]]:
    return [(y, f"{y}—{y + 1} 学年") for y in upload_years()]


class ExportForm(forms.Form):
    """A whole-scope export: which kind, which school year."""

    kind = forms.ChoiceField(label="数据类型", widget=forms.Select(attrs={"class": "form-select"}))
    year = forms.TypedChoiceField(
        label="学年",
        coerce=int,
        choices=school_year_choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(k, c.spec.title) for k, c in IMPORTERS.items() if c.exports]
        self.fields["kind"].choices = sorted(kinds, key=lambda k: k[1])
        self.fields["kind"].initial = "students"  # the export asked for most
        self.fields["year"].initial = collecting_school_year()


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
        # uploads go to the year being collected, and the form says so
        collecting = collecting_school_year()
        self.fields["year"].initial = collecting
        self.fields[
            "year"
        ].help_text = f"默认为正在填报的{school_year_label(collecting)}；往年数据请选择相应学年。"
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
