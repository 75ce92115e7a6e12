from __future__ import annotations

from django.apps import AppConfig

from omov.members.hooks import GroupChangeRule


class ConstitutionConfig(AppConfig):
    name = "omov.constitution"
    verbose_name = "Constitution"

    def ready(self) -> None:
        from omov.web.navigation import NavItem, register

        register(NavItem("Rules", "constitution:rules", None, order=30))

        from omov.members.hooks import register_group_change_rule

        register_group_change_rule(group_change_rule)


def group_change_rule() -> GroupChangeRule:
    """The constitution's rule in force on members changing their own local group."""
    from omov.constitution.queries import rules_in_force

    rules = rules_in_force()
    return GroupChangeRule(allowed=rules.members_may_change_group,
                           every_days=rules.group_change_every_days,
                           source=f"the rules in force (version {rules.version})")
