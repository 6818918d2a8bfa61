from django.db import models


class StepKind(models.TextChoices):
    REMINDER = "reminder", "提醒"
    TALK = "talk", "约谈"
    NOTICE = "notice", "通报"


# steps that stand on a written document (the 约谈记录, the 通报 itself)
DOCUMENT_REQUIRED = (StepKind.TALK, StepKind.NOTICE)
