from django.urls import path

from apps.reviews.api import views as v

urlpatterns = [
    path("", v.ReviewSubmitApi.as_view(), name="api-review-submit"),
    path("batch/", v.ReviewBatchSubmitApi.as_view(), name="api-review-batch"),
    path("mine/", v.MyReviewListApi.as_view(), name="api-review-mine"),
    path("tags/", v.ReviewTagListApi.as_view(), name="api-review-tags"),
    path("events/pending/", v.PendingEventListApi.as_view(), name="api-review-pending"),
    path("<int:pk>/follow-up/", v.ReviewFollowUpApi.as_view(), name="api-review-follow-up"),
    path("<int:pk>/appeal/", v.ReviewAppealApi.as_view(), name="api-review-appeal"),
    path("cases/", v.CaseListApi.as_view(), name="api-review-cases"),
    path("cases/<int:pk>/callback/", v.CaseCallbackApi.as_view(), name="api-case-callback"),
    path("cases/<int:pk>/rectify/", v.CaseRectifyApi.as_view(), name="api-case-rectify"),
    path("cases/<int:pk>/revisit/", v.CaseRevisitApi.as_view(), name="api-case-revisit"),
    path("cases/<int:pk>/supervise/", v.CaseSuperviseApi.as_view(), name="api-case-supervise"),
    path("appeals/<int:pk>/decide/", v.AppealDecideApi.as_view(), name="api-appeal-decide"),
]
