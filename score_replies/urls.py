from django.urls import URLPattern, path

from score_replies import views

app_name = "score_replies"

urlpatterns: list[URLPattern] = [
    path("sites/<slug:slug>/score-replies/", views.site_replies, name="site_replies"),
]
