from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "omov.audit"
    verbose_name = "Audit log"
