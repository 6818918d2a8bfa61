"""Write the default .docx templates of the document kinds: the 公文 styles, margins and page
numbers, and the placeholders (title, stamp, body, 落款 ...). The bureau may download one,
restyle or reword it in Word and upload it back on the templates page."""

from django.core.management.base import BaseCommand

from ruraledu.documents.catalogue import KINDS
from ruraledu.documents.engine import template_path
from ruraledu.documents.templates import default_template


class Command(BaseCommand):
    help = "生成各类文档的默认 Word 模板（公文样式、页边距、页码、占位符）。"

    def handle(self, *args, **options):
        for kind in KINDS.values():
            path = template_path(kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(default_template(kind))
            self.stdout.write(f"{path.name}")
