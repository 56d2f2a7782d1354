from django.urls import path

from setu.accounts import views

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("acting-organisation/", views.acting_organisation, name="acting_organisation"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
