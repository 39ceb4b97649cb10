from django.urls import path

from apps.assistant.api import views as v

urlpatterns = [
    path("ask", v.AskApi.as_view(), name="api-assistant-ask"),
    path("feedback", v.FeedbackApi.as_view(), name="api-assistant-feedback"),
]
