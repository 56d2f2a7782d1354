from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "setu.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from setu.coordination import event_plans, notices, search, sections
        from setu.coordination.demo import load_coordination_demo
        from setu.coordination.demo_inbound import load_inbound_demo
        from setu.coordination.inbound_dashboard import inbound_card
        from setu.coordination.selectors import my_invitations
        from setu.coordination.services.visitors import expired_visitors, visitors_erase
        from setu.core.registries import register_dashboard_part, register_demo_loader
        from setu.events.hooks import register_event_page_part
        from setu.privacy.registry import register_retention

        event_plans.register()
        register_event_page_part("notices", notices.event_notices)
        search.register()
        sections.register()
        register_dashboard_part(
            "invitations", lambda user: {"invitations": my_invitations(user=user)}
        )
        register_demo_loader("coordination", load_coordination_demo, order=10)
        register_dashboard_part("inbound", inbound_card)
        register_demo_loader("inbound", load_inbound_demo, order=11)
        # visitors' passport details leave with the privacy app's retention job too
        register_retention(
            "visitor_details",
            _("Visitors' passport details"),
            find_expired=expired_visitors,
            erase=visitors_erase,
        )
