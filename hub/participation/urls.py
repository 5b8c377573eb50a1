# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.participation import views

app_name = "participation"
urlpatterns = [
    path("melden/", views.choose, name="choose"),
    path("t/<slug:slug>/melden/", views.report_new, name="new"),
    path("t/<slug:slug>/meldungen/", views.report_list, name="list"),
    path("t/<slug:slug>/meldungen/<int:pk>/", views.report_detail, name="detail"),
    path("t/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path(
        "t/<slug:slug>/moderation/fotos/<int:pk>.jpg",
        views.moderation_photo,
        name="moderation_photo",
    ),
    path("meldung/<str:token>/", views.mine, name="mine"),
]
