from django.urls import path

from setu.culture import views

app_name = "culture"

urlpatterns = [
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:pk>/leave/", views.leave, name="leave"),
    path(
        "courses/<int:pk>/classes/<int:session_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("events/<int:event_pk>/course/", views.course_setup, name="course_setup"),
    path("enrolments/<int:pk>/complete/", views.complete, name="complete"),
    path("enrolments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("festivals/", views.festival_list, name="festivals"),
    path("festivals/<int:event_pk>/", views.festival_detail, name="festival"),
    path("festivals/<int:event_pk>/programme/add/", views.item_add, name="item_add"),
    path("programme/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("festivals/<int:event_pk>/shifts/add/", views.shift_add, name="shift_add"),
    path("shifts/<int:pk>/signup/", views.shift_signup, name="shift_signup"),
    path("shifts/<int:pk>/leave/", views.shift_leave, name="shift_leave"),
]
