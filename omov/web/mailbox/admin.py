from django.contrib import admin

from omov.web.admin_base import ReadOnlyAdmin
from omov.web.mailbox.models import StoredEmail


@admin.register(StoredEmail)
class StoredEmailAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "to", "subject")
