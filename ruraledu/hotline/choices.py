from django.db import models


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "信件"
    ONLINE = "online", "网络"
    VISIT = "visit", "来访"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "已登记"
    ASSIGNED = "assigned", "已交办，待答复"
    ANSWERED = "answered", "已答复，待办结"
    CLOSED = "closed", "已办结"


class ComplaintEventKind(models.TextChoices):
    LOGGED = "logged", "登记"
    ASSIGNED = "assigned", "交办"
    ANSWERED = "answered", "答复"
    RETURNED = "returned", "答复退回"
    CLOSED = "closed", "办结"
