"""Write the .docx templates of the document kinds: an empty document with the 公文 styles,
margins and page numbers. The bureau may restyle a template in Word; the engine reapplies the
fonts and margins when it renders."""

from django.core.management.base import BaseCommand
from docx import Document

from ruraledu.documents.engine import KINDS, template_path
from ruraledu.documents.gongwen import apply_gongwen


class Command(BaseCommand):
    help = "生成各类文档的 Word 模板（公文样式、页边距、页码）。"

    def handle(self, *args, **options):
        for kind in KINDS.values():
            document = Document()
            apply_gongwen(document)
            path = template_path(kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            document.save(str(path))
            self.stdout.write(f"{path.name}")
