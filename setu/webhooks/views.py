"""Pages of an organisation's webhooks: the list, a subscription with its delivery log, the
form, and the actions (test, pause or resume, new secret, delete, send again)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user
from setu.core.principal import principal_for
from setu.core.views_helpers import form_view
from setu.directory.models import Organisation
from setu.webhooks import selectors, services
from setu.webhooks.forms import KIND_LABELS, SubscriptionForm
from setu.webhooks.rules import MANAGING_ROLES


def _acting(user: Any) -> Organisation:
    organisation_id = principal_for(user).acting_organisation_id_with(MANAGING_ROLES)
    if organisation_id is None:
        raise PermissionDenied
    return Organisation.objects.get(pk=organisation_id)


@login_required
@permission_required("webhooks.use", raise_exception=True)
def subscription_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organisation = _acting(user)
    subscriptions = selectors.subscription_list(user=user, organisation_id=organisation.pk)
    return render(
        request,
        "webhooks/subscription_list.html",
        {"organisation": organisation, "subscriptions": subscriptions, "labels": KIND_LABELS},
    )


@login_required
@permission_required("webhooks.use", raise_exception=True)
def subscription_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organisation = _acting(user)
    form = SubscriptionForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.subscription_create(
            actor=user, organisation=organisation, data=data
        ),
        template="webhooks/subscription_form.html",
        success=_("The webhook was added. Send a test event to check your receiver."),
        context={"organisation": organisation},
    )


@login_required
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.access_subscription(user, pk)
    return render(
        request,
        "webhooks/subscription_detail.html",
        {
            "subscription": subscription,
            "deliveries": selectors.delivery_log(subscription=subscription),
            "kinds": [KIND_LABELS.get(kind, kind) for kind in subscription.kinds],
        },
    )


@login_required
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.access_subscription(user, pk)
    form = SubscriptionForm.for_subscription(subscription, request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.subscription_update(
            actor=user, subscription=subscription, data=data
        ),
        template="webhooks/subscription_form.html",
        success=_("The webhook was saved."),
        context={"organisation": subscription.organisation, "subscription": subscription},
    )


@require_POST
@login_required
def subscription_test(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.access_subscription(user, pk)
    if not subscription.active:
        messages.error(request, _("This webhook is paused: resume it before sending a test."))
    else:
        services.send_test(actor=user, subscription=subscription)
        messages.success(
            request, _("A test event is on its way; its result appears in the log below.")
        )
    return redirect(subscription)


@require_POST
@login_required
def subscription_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.access_subscription(user, pk)
    active = not subscription.active
    services.subscription_set_active(
        actor=user,
        subscription=subscription,
        active=active,
        reason=_("Paused by %(name)s.") % {"name": user.display_name} if not active else "",
    )
    messages.success(
        request,
        _("The webhook sends events again; what waited is on its way.")
        if active
        else _("The webhook is paused; events wait until you resume it."),
    )
    return redirect(subscription)


@require_POST
@login_required
def subscription_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.access_subscription(user, pk)
    services.subscription_rotate_secret(actor=user, subscription=subscription)
    messages.success(
        request,
        _("A new signing secret was made; deliveries from now on are signed with it."),
    )
    return redirect(subscription)


@login_required
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.access_subscription(user, pk)
    if request.method == "POST":
        services.subscription_delete(actor=user, subscription=subscription)
        messages.success(request, _("The webhook was deleted with its delivery log."))
        return redirect("webhooks:list")
    return render(request, "webhooks/subscription_delete.html", {"subscription": subscription})


@login_required
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    delivery = selectors.access_delivery(user, pk)
    return render(
        request,
        "webhooks/delivery_detail.html",
        {
            "delivery": delivery,
            "subscription": delivery.subscription,
            "body": services.body_of(delivery).decode(),
            "tries": list(delivery.tries.order_by("number")),
        },
    )


@require_POST
@login_required
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    delivery = selectors.access_delivery(user, pk)
    if not delivery.subscription.active:
        messages.error(request, _("This webhook is paused: resume it before sending again."))
        return redirect("webhooks:delivery", pk=delivery.pk)
    copy = services.redeliver(actor=user, delivery=delivery)
    messages.success(request, _("Sent again as a new delivery with the same event id."))
    return redirect("webhooks:delivery", pk=copy.pk)
