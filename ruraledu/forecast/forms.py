from django import forms

from .models import StaffingRule
from .services import RULE_FIELDS


class StaffingRuleForm(forms.ModelForm):
    class Meta:
        model = StaffingRule
        fields = RULE_FIELDS
