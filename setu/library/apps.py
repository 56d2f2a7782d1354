from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "setu.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from setu.core.registries import register_dashboard_part, register_demo_loader
        from setu.library import personal_data
        from setu.library.demo import load_library_demo
        from setu.library.search.sources import register_library_sources
        from setu.library.selectors import announcements_for

        register_library_sources()
        register_dashboard_part(
            "announcements", lambda user: {"announcements": announcements_for(user, 5)}
        )
        register_demo_loader("library", load_library_demo, order=40)
        personal_data.register()  # what privacy shows, exports, retains and erases
