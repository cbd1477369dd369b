"""The thread page of an interaction shared for mediation, and its status form."""

from django.urls import URLPattern, path

from mediation import views

app_name = "mediation"

urlpatterns: list[URLPattern] = [
    path("sites/<slug:slug>/shared/<int:pk>/", views.thread_page, name="thread"),
    path("sites/<slug:slug>/shared/<int:pk>/status/", views.thread_status, name="thread_status"),
]
