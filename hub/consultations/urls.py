# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from hub.consultations import views

app_name = "consultations"
base = "t/<slug:slug>/beteiligung/<slug:consultation>/"
urlpatterns = [
    path("t/<slug:slug>/beteiligung/", views.consultation_list, name="list"),
    path("t/<slug:slug>/beteiligung/neu/", views.consultation_new, name="new"),
    path(base, views.consultation_detail, name="detail"),
    path(base + "karte.geojson", views.proposals_geojson, name="geojson"),
    path(base + "vorschlagen/", views.propose, name="propose"),
    path(base + "vorschlaege/<int:pk>/", views.proposal_detail, name="proposal"),
    path(base + "vorschlaege/<int:pk>/unterstuetzen/", views.proposal_support, name="support"),
    path(base + "vorschlaege/<int:pk>/kommentieren/", views.proposal_comment, name="comment"),
    path(base + "zusammenfassung/", views.consultation_summary, name="summary"),
    path(base + "moderation/", views.consultation_moderation, name="moderation"),
]
