from pathlib import Path

from django.conf import settings

PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "zichuan-2023.yaml"
SEED_TEXT = Path(settings.BASE_DIR) / "plans" / "sources" / "淄川区推进乡村教育振兴工作方案.txt"
