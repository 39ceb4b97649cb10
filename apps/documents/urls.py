from django.urls import path

from apps.documents import views

app_name = "documents"

urlpatterns = [
    path("<str:token>/", views.verify, name="verify"),
]
