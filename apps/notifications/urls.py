from django.urls import path

from apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("read-all/", views.inbox_mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.inbox_detail, name="detail"),
]
