from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "setu.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from setu.core.domain_events import register_listener
        from setu.core.registries import register_demo_loader
        from setu.webhooks import rules  # noqa: F401  # registers the permissions
        from setu.webhooks.demo import load_webhooks_demo
        from setu.webhooks.services import deliveries_for

        register_listener("webhooks", deliveries_for)
        register_demo_loader("webhooks", load_webhooks_demo, order=70)
