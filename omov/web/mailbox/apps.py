from django.apps import AppConfig


class MailboxConfig(AppConfig):
    """Development mailbox: outgoing mail kept in the database in debug mode."""

    name = "omov.web.mailbox"
    label = "mailbox"
    verbose_name = "Development mailbox"
