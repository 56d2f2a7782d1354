from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "setu.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from setu.core.registries import (
            register_consent_check,
            register_demo_loader,
            register_provision_hook,
        )
        from setu.privacy import abroad, sources
        from setu.privacy.consent import allows, without_withdrawn
        from setu.privacy.demo import load_privacy_demo

        sources.register()
        # the foundation (directory listing, contacts shown abroad) asks through core's hook
        register_consent_check(allows, without_withdrawn)
        register_provision_hook(abroad.provide_abroad)
        register_demo_loader("privacy", load_privacy_demo, order=80)
