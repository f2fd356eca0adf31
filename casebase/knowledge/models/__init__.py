"""The knowledge base: authorities, companies, cases, remedies, datasets, models, exposure, sources."""

# ruff: noqa: F401  (this package re-exports its modules' names)

from .cases import (
    Case,
    CaseKind,
    CaseQuerySet,
    CaseRelation,
    CaseStatus,
    Party,
    PartyRole,
    RelationKind,
    Remedy,
    RemedyCompliance,
    RemedyOrigin,
    RemedyQuerySet,
    RemedyStatus,
    TimelineEvent,
)
from .citations import CITING_FIELDS, Citation
from .common import (
    DatePrecision,
    PublicationStatus,
    PublicEntity,
    PublishedQuerySet,
    choice_rank,
    dates_in_order,
    exactly_one_of,
    format_precise,
    normalise_precise,
    precise_date_constraints,
)
from .data import Dataset, DatasetQuerySet, TrainedModel, TrainedModelStatus
from .exposure import ExposureEntry, ExposureEntryStatus, ExposureLevel, ExposureList, ExposureListQuerySet
from .jurisdictions import JURISDICTION_NAMES, jurisdiction_label
from .money import ExchangeRate, ExchangeRateQuerySet
from .parties import Authority, AuthorityKind, AuthorityQuerySet, Company, CompanyQuerySet
from .searchindex import SearchEntry, SearchKind
from .sources import Source, SourceKind, SourceQuerySet
from .taxonomy import LegalBasis, Modality, RemedyCategory, RemedyType, RemedyTypeQuerySet
