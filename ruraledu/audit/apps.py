from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ruraledu.audit"
    verbose_name = "审计记录"

    def ready(self):
        from django.db.backends.signals import connection_created

        from ruraledu.spreadsheets.signals import import_committed

        from .guards import register_sqlite_function
        from .receivers import audit_import_committed

        # the function SQLite's update trigger asks before it lets a redaction through
        connection_created.connect(register_sqlite_function, dispatch_uid="audit_redaction_fn")

        # One summary row per committed import. Row-level detail needs the importer itself to
        # call `audit_bulk` with what it wrote; the signal does not carry the rows.
        import_committed.connect(audit_import_committed, dispatch_uid="audit_import_committed")
