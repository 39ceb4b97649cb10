"""Rating pages and public results, at /reviews/ (issue #12)."""

from django.urls import path

from apps.reviews.views import public, rating

app_name = "reviews"

urlpatterns = [
    path("rate/<int:event_id>/", rating.rate, name="rate"),
    path("t/<str:token>/", rating.token_rate, name="token_rate"),
    path("counter/<str:key>/", rating.counter, name="counter"),
    path("mine/", rating.mine, name="mine"),
    path("mine/<int:review_id>/follow-up/", rating.follow_up, name="follow_up"),
    path("results/", public.results, name="results"),
    path("windows/<int:window_id>/", public.window_page, name="window"),
]
