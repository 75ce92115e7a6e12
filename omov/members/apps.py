from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "omov.members"
    verbose_name = "Members"

    def ready(self) -> None:
        from omov.accounts.roles import Role
        from omov.web.navigation import NavItem, register

        register(NavItem("My membership", "members:me", Role.ON_ROLL, order=10))
        register(NavItem("Members", "members:roster", Role.ORGANISER, order=50))
        register(NavItem("Rejoin requests", "members:rejoin_requests", Role.ORGANISER, 55))
