from django.apps import AppConfig


class MailboxConfig(AppConfig):
    """Outgoing mail's pages: the outbox for organisers, and the development mailbox
    (mail kept in the database in debug mode)."""

    name = "omov.web.mailbox"
    label = "mailbox"
    verbose_name = "Development mailbox"

    def ready(self) -> None:
        from omov.accounts.roles import Role
        from omov.web.navigation import NavItem, register

        register(NavItem("Outgoing mail", "outbox", Role.ORGANISER, order=90))
