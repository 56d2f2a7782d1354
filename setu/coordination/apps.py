from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "setu.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from setu.coordination import event_plans, search, sections
        from setu.coordination.demo import load_coordination_demo
        from setu.coordination.selectors import my_invitations
        from setu.core.registries import register_dashboard_part, register_demo_loader

        event_plans.register()
        search.register()
        sections.register()
        register_dashboard_part(
            "invitations", lambda user: {"invitations": my_invitations(user=user)}
        )
        register_demo_loader("coordination", load_coordination_demo, order=10)
