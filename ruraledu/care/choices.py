from django.db import models


class CaseCategory(models.TextChoices):
    SUSPECTED_OUT = "suspected_out", "疑似失学"
    SUSPECTED_DROPOUT = "suspected_dropout", "疑似辍学"


class CaseSource(models.TextChoices):
    CROSS_CHECK = "cross_check", "四查三比对"
    SCHOOL = "school", "学校发现（连续缺课）"
    TOWN = "town", "镇街排查"
    REPORT = "report", "群众反映"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    FOUND = "found", "已发现，待指定责任人"
    ASSIGNED = "assigned", "已指定责任人，待劝返"
    CONTACTING = "contacting", "劝返中"
    RETURNED = "returned", "已返校"
    PLACED = "placed", "已转入特教或送教"
    SICK_LEAVE = "sick_leave", "因病休学"
    ESCALATED_TOWN = "escalated_town", "已报镇街（限期返校）"
    ESCALATED_DISTRICT = "escalated_district", "已报区教体局（行政或司法程序）"
    CLOSED = "closed", "已结案"


OUTCOME_STATUSES = (CaseStatus.RETURNED, CaseStatus.PLACED, CaseStatus.SICK_LEAVE)
ESCALATED_STATUSES = (CaseStatus.ESCALATED_TOWN, CaseStatus.ESCALATED_DISTRICT)
WORKING_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.CONTACTING, *ESCALATED_STATUSES)
# a case is open until it is closed; an outcome (返校 …) still waits for its closure
OPEN_STATUSES = tuple(s for s in CaseStatus if s != CaseStatus.CLOSED)


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "家访"
    PHONE = "phone", "电话"
    PERSUASION = "persuasion", "劝返谈话"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", "发现并建档"
    ASSIGNED = "assigned", "指定责任人"
    PLAN = "plan", "制定或修改劝返方案"
    CONTACT = "contact", "联系记录"
    RESOLVED = "resolved", "劝返结果"
    ESCALATED_TOWN = "escalated_town", "报镇街，发出限期返校通知书"
    ESCALATED_DISTRICT = "escalated_district", "报区教体局，依法处理"
    CLOSED = "closed", "结案"
    AUTO_ESCALATED = "auto_escalated", "逾期自动升级"
    FILE = "file", "上传证明或佐证材料"
    ERASED = "erased", "保存期满，清除个人信息"
    # written by the system when the pupil's 转学 elsewhere is confirmed
    TRANSFERRED = "transferred", "学生转学（学籍已转入其他学校）"


# the steps whose note is what staff typed (a plan, a contact's words, a file's name …): it
# names the child, parents, addresses, so it goes with the name; the others' notes are
# generated from facts the page shows anyway (category, deadline, notice number)
TEXT_EVENT_KINDS = frozenset(
    {
        CaseEventKind.PLAN,
        CaseEventKind.CONTACT,
        CaseEventKind.RESOLVED,
        CaseEventKind.ESCALATED_DISTRICT,
        CaseEventKind.CLOSED,
        CaseEventKind.FILE,
    }
)


class CaseEscalation(models.IntegerChoices):
    """Who oversees a case now: raised by hand (the town's notice, the district's procedure)
    or by the daily job when a step is overdue."""

    SCHOOL = 0, "学校办理"
    TOWN = 1, "已报镇街教育办"
    DISTRICT = 2, "已报区教体局"


class CaseFileKind(models.TextChoices):
    CERTIFICATE = "certificate", "医院诊断证明（因病休学）"
    CLOSURE = "closure", "结案佐证材料"


class CloseReason(models.TextChoices):
    RETURNED = "returned", "已返校就读并稳定"
    PLACED = "placed", "已转入特教学校或送教上门"
    SICK_LEAVE = "sick_leave", "因病休学，手续齐全"
    MOVED_AWAY = "moved_away", "已迁出本区，已转交迁入地"
    STUDYING_ELSEWHERE = "studying_elsewhere", "在外地就读，已核实"
    LEGAL = "legal", "经行政或司法程序处理完毕"
    MISTAKEN = "mistaken", "核实为误报"


class ListKind(models.TextChoices):
    """The partner lists of 四查三比对; the household register is the base population, the
    others name children in a priority category."""

    HOUSEHOLD = "household", "户籍适龄儿童名单"
    DISABLED = "disabled", "残疾儿童名单"
    POVERTY = "poverty", "脱贫与防返贫监测户儿童名单"
    ORPHAN = "orphan", "孤儿名单"
    UNATTENDED = "unattended", "事实无人抚养儿童名单"
    HARDSHIP = "hardship", "困境儿童名单"


PRIORITY_LISTS = tuple(k for k in ListKind if k != ListKind.HOUSEHOLD)
# the words after which a cross-check's note names categories (crosscheck.py writes them,
# Finding.masked_note cuts there)
ROSTER_UNFLAGGED = "；学生名册未标记："
ON_LISTS = "同时在："


class FindingKind(models.TextChoices):
    """The working lists a cross-check produces."""

    NOT_ENROLLED = "not_enrolled", "疑似失学"
    DROPOUT = "dropout", "疑似辍学"
    PRIORITY = "priority", "重点类别儿童"
    MULTI_LIST = "multi_list", "在多个名单中"


class ClearReason(models.TextChoices):
    MOVED_AWAY = "moved_away", "已迁出本区"
    STUDYING_ELSEWHERE = "studying_elsewhere", "在外地或区外学校就读"
    DECEASED = "deceased", "已死亡"
    OTHER = "other", "其他"


class CrossCheckStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "比对中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class GrowthFileStatus(models.TextChoices):
    """A 学困生成长档案: assessed, then supported under a plan, until the child catches up."""

    ASSESSED = "assessed", "已认定，待制定帮扶计划"
    SUPPORTED = "supported", "帮扶中"
    EXITED = "exited", "已转出（赶上进度）"


class GrowthProgress(models.TextChoices):
    IMPROVED = "improved", "明显进步"
    SOME = "some", "略有进步"
    STEADY = "steady", "没有变化"
    DECLINED = "declined", "退步"


class GrowthExitReason(models.TextChoices):
    CAUGHT_UP = "caught_up", "学业达到年级要求"
    REASSESSED = "reassessed", "复评不再认定为学困生"
    GRADUATED = "graduated", "毕业"
    TRANSFERRED = "transferred", "转学，档案转交转入学校"


class GrowthState(models.TextChoices):
    """What the school's list shows for a flagged pupil (computed, not stored)."""

    NO_FILE = "no_file", "未建档"
    NO_PLAN = "no_plan", "已建档，无帮扶计划"
    PLAN = "plan", "有帮扶计划，本学期未评估"
    REVIEWED = "reviewed", "本学期已评估"
    EXITED = "exited", "已转出"
    # open at a school the user does not work at: the one the child left, or (for that
    # school) the one that has taken the file since
    ELSEWHERE = "elsewhere", "档案在其他学校"
