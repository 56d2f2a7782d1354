from django.contrib import admin

from setu.directory.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name_en", "name_ja", "kind", "country", "region", "visibility"]
    list_filter = ["kind", "country", "visibility"]
    search_fields = ["name_en", "name_ja", "name_hi"]
