from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "omov.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from omov.accounts.roles import Role
        from omov.web.navigation import NavItem, register

        register(NavItem("Audit log", "audit:public_log", Role.ON_ROLL, order=40))
