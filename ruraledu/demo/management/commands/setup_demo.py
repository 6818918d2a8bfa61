from django.core.management.base import BaseCommand

from ruraledu.demo.services import DEMO_PASSWORD, demo_setup


class Command(BaseCommand):
    help = "导入淄川方案与组织机构，创建示例学校和各角色示例账号（可重复执行）。"

    def handle(self, *args, **options):
        logins = demo_setup()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"示例账号（初始密码均为 {DEMO_PASSWORD}）："))
        for login in logins:
            self.stdout.write(f"  {login.username:<11} {login.role}  —  {login.where}")
        self.stdout.write("")
