from django.urls import URLPattern

app_name = "score_replies"

urlpatterns: list[URLPattern] = []
