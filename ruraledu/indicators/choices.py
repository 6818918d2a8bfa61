from django.db import models


class TargetStatus(models.TextChoices):
    ACHIEVED = "achieved", "已达成"
    ON_TRACK = "on_track", "进展正常"
    AT_RISK = "at_risk", "存在风险"
    OVERDUE = "overdue", "已逾期"
    NO_DATA = "no_data", "缺少数据"
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


# Worst first: a project takes the colour of its worst target.
STATUS_SEVERITY = {
    TargetStatus.OVERDUE: 0,
    TargetStatus.AT_RISK: 1,
    TargetStatus.NO_DATA: 2,
    TargetStatus.NOT_STARTED: 3,
    TargetStatus.IN_PROGRESS: 4,
    TargetStatus.ON_TRACK: 5,
    TargetStatus.ACHIEVED: 6,
    TargetStatus.DONE: 6,
}


class ValueOrigin(models.TextChoices):
    COMPUTED = "computed", "本平台计算"
    IMPORTED = "imported", "数据交换导入"
