"""Public policy pages and 我的政策, at /policies/ (issue #14)."""

from django.urls import path

from apps.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("mine/", views.my_policies, name="mine"),
    path("mine/preferences/", views.preferences, name="preferences"),
    path("mine/matches/<int:match_id>/claim/", views.claim, name="claim"),
    path("mine/entitlements/<int:entitlement_id>/decline/", views.decline, name="decline"),
    path("mine/entitlements/<int:entitlement_id>/notice/", views.notice, name="notice"),
    path("<slug:code>/", views.policy_detail, name="detail"),
]
