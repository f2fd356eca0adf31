"""Which records without a publication status of their own the API shows: those a published record reaches.

Trained models and sources have no draft state; a draft case must not leak through the model it named or the
documents it cites, so each is shown only through a published record.
"""

from django.db.models import Q

from casebase.knowledge.models import (
    Citation,
    Company,
    PublicationStatus,
    Remedy,
    Source,
    TimelineEvent,
    TrainedModel,
)

PUBLISHED = PublicationStatus.PUBLISHED


def public_trained_models():
    """Models built by a published company, trained on a published dataset, or reached by a published remedy."""
    return TrainedModel.objects.filter(
        Q(developer__in=Company.objects.published())
        | Q(pk__in=TrainedModel.datasets.through.objects.filter(dataset__status=PUBLISHED).values("trainedmodel_id"))
        | Q(pk__in=Remedy.covers_models.through.objects.filter(remedy__in=Remedy.objects.published()).values(
            "trainedmodel_id"
        ))
    )  # fmt: skip


def public_citations():
    """Citations on published records: cases, their remedies, datasets, exposure lists and their entries."""
    return Citation.objects.filter(
        Q(case__status=PUBLISHED)
        | Q(remedy__in=Remedy.objects.published())
        | Q(dataset__status=PUBLISHED)
        | Q(exposure_list__status=PUBLISHED)
        | Q(exposure_entry__exposure_list__status=PUBLISHED, exposure_entry__company__status=PUBLISHED)
    )


def public_sources():
    """Documents cited by a published record, or backing a published timeline, compliance record or rate."""
    published_remedies = Remedy.objects.published()
    return Source.objects.filter(
        Q(pk__in=public_citations().values("source_id"))
        | Q(pk__in=TimelineEvent.objects.filter(case__status=PUBLISHED).values("source_id"))
        | Q(pk__in=published_remedies.values("compliance_source_id"))
        | Q(pk__in=published_remedies.filter(exchange_rate__isnull=False).values("exchange_rate__source_id"))
    )
