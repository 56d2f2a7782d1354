"""Announcements: the list, one announcement, writing one, and the public Atom feed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.core.access import signed_in_user
from setu.core.i18n import localized
from setu.core.views_helpers import form_view
from setu.library import selectors, services
from setu.library.forms import AnnouncementForm
from setu.library.models import Announcement


def announcement_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.announcement_list(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/announcement_list.html",
        {"page": page, "can_add": request.user.has_perm("library.add_announcement")},
    )


def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = selectors.access_announcement(user=request.user, pk=pk)
    return render(
        request,
        "library/announcement_detail.html",
        {
            "announcement": announcement,
            "can_edit": request.user.has_perm("library.change_announcement", announcement),
        },
    )


@login_required
@permission_required("library.add_announcement", raise_exception=True)
def announcement_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = AnnouncementForm(request.POST or None, owners=selectors.owner_choices(user=user))
    return form_view(
        request,
        form,
        save=lambda data: services.announcement_create(actor=user, owner=data["owner"], data=data),
        template="library/announcement_form.html",
        success=lambda announcement: (
            _("The announcement was published and is being sent by email.")
            if announcement.push_email
            else _("The announcement was published.")
        ),
        context={"creating": True},
    )


@login_required
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    announcement = selectors.access_announcement(user=user, pk=pk)
    if not user.has_perm("library.change_announcement", announcement):
        raise PermissionDenied
    return form_view(
        request,
        AnnouncementForm(request.POST or None, instance=announcement),
        save=lambda data: services.announcement_update(
            actor=user, announcement=announcement, data=data
        ),
        template="library/announcement_form.html",
        success=_("The announcement was saved."),
        context={"announcement": announcement, "creating": False},
    )


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text (``type="text"``).

    Django writes a description as ``<summary type="html">``; announcement text is plain text,
    and a reader would run a ``<script>`` in it as markup and decode ``&amp;`` to "&".
    """

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        description = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


class PublicAnnouncementsFeed(Feed):
    """Public announcements as Atom, in the reader's language (Accept-Language) with fallback."""

    feed_type = PlainTextAtomFeed
    title = gettext_lazy("Setu announcements")
    subtitle = gettext_lazy("Public announcements of the network")

    def link(self) -> str:
        return reverse("library:announcements")

    def items(self) -> list[Announcement]:
        return list(selectors.public_announcements()[:30])

    def item_title(self, item: Announcement) -> str:
        return localized(item, "title")

    def item_description(self, item: Announcement) -> str:
        return localized(item, "body")

    def item_link(self, item: Announcement) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Announcement) -> Any:
        return item.published_at

    def item_updateddate(self, item: Announcement) -> Any:
        return item.updated_at

    def item_author_name(self, item: Announcement) -> str:
        return str(item.owner)


announcements_feed = PublicAnnouncementsFeed()
