"""What every part of the reporting services shares: refusal messages and the bureau check."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from ruraledu.accounts.policy import is_bureau

STALE = (
    "该报告在您打开之后已被他人修改，为避免覆盖，本次操作未执行。请刷新页面，查看最新内容后再操作。"
)
LOCKED = "该报告已审核通过并锁定，不能再修改。"
NOT_AUTHOR = "只有本单位的填报员可以修改或提交这份报告。"
NOT_REVIEWER = "只有区教体局的审核人员可以审核报告。"
NOT_BUREAU = "只有区教体局可以进行此项设置。"

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def bureau_department_code() -> str:
    """The reviewing bureau's own department, which does not report to itself."""
    return getattr(settings, "REPORTING_BUREAU_DEPARTMENT_CODE", "education")


def _ensure_bureau(actor) -> None:
    if not is_bureau(actor):
        raise PermissionDenied(NOT_BUREAU)
