from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "omov.organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from omov.accounts.roles import Role
        from omov.web.navigation import NavItem, register

        register(NavItem("Committees", "organisation:committees", Role.MEMBER, order=30))
        register(NavItem("Groups", "organisation:manage_groups", Role.ORGANISER, order=60))
        register(
            NavItem("Manage committees", "organisation:manage_committees", Role.ORGANISER, 61)
        )
