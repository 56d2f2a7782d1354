from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "setu.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from setu.library.search.sources import register_library_sources

        register_library_sources()
