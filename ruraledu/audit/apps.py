from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ruraledu.audit"
    verbose_name = "审计记录"

    def ready(self):
        from ruraledu.spreadsheets.signals import import_committed

        from .receivers import audit_import_committed

        # One summary row per committed import. Row-level detail needs the importer itself to
        # call `audit_bulk` with what it wrote; the signal does not carry the rows.
        import_committed.connect(audit_import_committed, dispatch_uid="audit_import_committed")
