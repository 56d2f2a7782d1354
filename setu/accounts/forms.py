from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.accounts import invitation_session
from setu.accounts.models import Invitation, User
from setu.core.zones import TimeZoneField
from setu.directory.models import Organisation


class PreferencesForm(forms.ModelForm[User]):
    time_zone = TimeZoneField(label=_("Time zone"))

    class Meta:
        model = User
        fields = ["full_name", "native_name", "language", "time_zone"]


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        required=False,  # left out: the inviter's own language
        help_text=_("The email, the sign-up pages and the new account use this language."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        self.fields["language"].initial = translation.get_language() or settings.LANGUAGE_CODE


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, asking for the person's name; an invitation fixes the address."""

    full_name = forms.CharField(
        label=_("Your name in Latin letters"),
        max_length=150,
        help_text=_("As in your passport, for example Hanako Yamada or Priya Sharma."),
    )
    native_name = forms.CharField(
        label=_("Your name in your own script"),
        max_length=150,
        required=False,
        help_text=_("For example 山田 花子 or प्रिया शर्मा. Leave it empty if it is the same."),
    )
    field_order = ["email", "full_name", "native_name", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = allauth_context.request
        self.invitation: Invitation | None = (
            invitation_session.pending_invitation(request.session) if request is not None else None
        )
        if self.invitation is not None:
            email = self.fields["email"]
            email.initial = self.invitation.email
            email.disabled = True  # the posted value is ignored: the invited address it is
            email.help_text = _("The address your invitation was sent to.")

    def custom_signup(self, request: HttpRequest, user: Any) -> None:
        """Join the invitation's organisation as the account is made (same transaction)."""
        from setu.accounts import services

        if self.invitation is None:
            return
        membership = services.invitation_accept(invitation=self.invitation, user=user)
        invitation_session.forget(request.session)
        messages.success(
            request,
            gettext("Welcome to %(org)s.") % {"org": membership.organisation},
        )


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """allauth's enrolment form, but a page load reuses the secret of this enrolment attempt.

    allauth makes a new secret on every GET; a browser's own request for /favicon.ico that
    ended on this page replaced the secret the person had just scanned. The secret is dropped
    from the session once enrolment succeeds, so the next attempt gets a new one.
    """

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        # Not allauth's __init__: it would replace the session's secret before we read it.
        self.user = user
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = totp_auth.get_totp_secret(regenerate=False)
