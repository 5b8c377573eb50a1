# SPDX-License-Identifier: EUPL-1.2
"""Factories of consultations (factory-boy) for the tests and the isolation matrix."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon

from hub.consultations.models import Comment, Consultation, Moderation, Phase, Proposal
from hub.core.registry import Sample
from hub.tenancy.context import tenant_context


class _InTenant(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with tenant_context([kwargs["tenant"].pk]):
            return super()._create(model_class, *args, **kwargs)


class ConsultationFactory(_InTenant):
    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"verfahren-{n}")
    title = factory.Sequence(lambda n: f"Verfahren {n}")
    summary = "Worum es geht."
    area = factory.LazyAttribute(lambda o: MultiPolygon(o.tenant.boundary.envelope, srid=4326))
    phase = Phase.PARTICIPATION
    participation_until = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))


class ProposalFactory(_InTenant):
    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory, tenant=factory.SelfAttribute("..tenant"))
    author = factory.LazyFunction(
        lambda: get_user_model().objects.create_user(f"buerger-{uuid.uuid4().hex[:8]}")
    )
    title = factory.Sequence(lambda n: f"Vorschlag {n}")
    text = "Mehr Bänke im Schatten."
    location = factory.LazyAttribute(lambda o: o.tenant.boundary.point_on_surface)
    state = Moderation.PENDING


class CommentFactory(_InTenant):
    class Meta:
        model = Comment

    author = factory.LazyAttribute(lambda o: o.proposal.author)
    text = "Gute Idee."
    state = Moderation.PENDING


def isolation_sample(tenant) -> Sample:
    """A consultation with a proposal and a comment nobody has moderated yet (private)."""
    marker = f"geheim-{uuid.uuid4().hex[:10]}"
    proposal = ProposalFactory(tenant=tenant, title=f"Vorschlag {marker}", text=marker)
    CommentFactory(tenant=tenant, proposal=proposal, text=f"Kommentar {marker}")
    return Sample(
        kwargs={"consultation": proposal.consultation.slug, "pk": proposal.pk}, marker=marker
    )
