from django.urls import path

from apps.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("feedback/", views.feedback, name="feedback"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("worklist/", views.worklist, name="worklist"),
]
