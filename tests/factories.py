"""factory_boy factories for every knowledge model: deterministic, published by default."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from casebase.knowledge.models import (
    Authority,
    AuthorityKind,
    Case,
    CaseKind,
    CaseRelation,
    CaseStatus,
    Citation,
    Company,
    Dataset,
    DatePrecision,
    ExchangeRate,
    ExposureEntry,
    ExposureLevel,
    ExposureList,
    LegalBasis,
    Modality,
    Party,
    PartyRole,
    PublicationStatus,
    RelationKind,
    Remedy,
    RemedyCategory,
    RemedyOrigin,
    RemedyStatus,
    RemedyType,
    Source,
    SourceKind,
    TimelineEvent,
    TrainedModel,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source document {n}")
    publisher = "Federal Trade Commission"
    url = factory.Sequence(lambda n: f"https://example.org/sources/{n}")
    published_on = datetime.date(2021, 1, 11)
    published_on_precision = DatePrecision.DAY
    kind = SourceKind.PRIMARY


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "date")

    currency = "EUR"
    date = datetime.date(2022, 7, 13)
    usd_per_unit = Decimal("1.0067")
    reference = "ECB euro reference rate"
    source = factory.SubFactory(SourceFactory, publisher="European Central Bank")


class PublicEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    status = PublicationStatus.PUBLISHED


class AuthorityFactory(PublicEntityFactory):
    class Meta:
        model = Authority

    slug = factory.Sequence(lambda n: f"authority-{n}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    kind = AuthorityKind.REGULATOR
    jurisdiction = "US"


class CompanyFactory(PublicEntityFactory):
    class Meta:
        model = Company

    slug = factory.Sequence(lambda n: f"company-{n}")
    name = factory.Sequence(lambda n: f"Company {n}")
    country = "US"


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    slug = factory.Sequence(lambda n: f"legal-basis-{n}")
    name = factory.Sequence(lambda n: f"Statute {n}")
    jurisdiction = "US"


class RemedyTypeFactory(PublicEntityFactory):
    class Meta:
        model = RemedyType

    slug = factory.Sequence(lambda n: f"remedy-type-{n}")
    name = factory.Sequence(lambda n: f"Remedy type {n}")
    category = RemedyCategory.DATA_AND_MODELS
    definition = "An order to delete something."
    sort_order = factory.Sequence(lambda n: n)


class DatasetFactory(PublicEntityFactory):
    class Meta:
        model = Dataset

    slug = factory.Sequence(lambda n: f"dataset-{n}")
    name = factory.Sequence(lambda n: f"Dataset {n}")
    modality = Modality.FACE_IMAGES
    collected_by = factory.SubFactory(CompanyFactory)
    size_value = 3_000_000
    size_unit = "photos"
    consent_terms = "Users were told their photos would stay private."
    actual_use = "The photos trained a face-recognition model."


class TrainedModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainedModel

    slug = factory.Sequence(lambda n: f"model-{n}")
    name = factory.Sequence(lambda n: f"Model {n}")
    developer = factory.SubFactory(CompanyFactory)


class CaseFactory(PublicEntityFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"case-{n}")
    title = factory.Sequence(lambda n: f"Authority v. Company {n}")
    short_title = factory.Sequence(lambda n: f"Case {n}")
    kind = CaseKind.ADMINISTRATIVE_ORDER
    case_status = CaseStatus.FINAL_ORDER
    authority = factory.SubFactory(AuthorityFactory)
    jurisdiction = "US"
    started_on = datetime.date(2020, 1, 1)
    started_on_precision = DatePrecision.YEAR
    decided_on = datetime.date(2021, 5, 7)
    decided_on_precision = DatePrecision.DAY
    summary = "The authority alleged a company misled users; the order requires deletion."

    @factory.post_generation
    def legal_bases(self, create, extracted, **kwargs):
        if create and extracted:
            self.legal_bases.set(extracted)

    @factory.post_generation
    def datasets(self, create, extracted, **kwargs):
        if create and extracted:
            self.datasets.set(extracted)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    company = factory.SubFactory(CompanyFactory)
    role = PartyRole.RESPONDENT


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    case = factory.SubFactory(CaseFactory)
    date = datetime.date(2021, 1, 11)
    date_precision = DatePrecision.DAY
    title = factory.Sequence(lambda n: f"Event {n}")
    source = factory.SubFactory(SourceFactory)


class CaseRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseRelation

    from_case = factory.SubFactory(CaseFactory)
    to_case = factory.SubFactory(CaseFactory)
    kind = RelationKind.RELATED


class RemedyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Remedy
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    remedy_type = factory.SubFactory(RemedyTypeFactory)
    summary = factory.Sequence(lambda n: f"Delete the data and the models built on it ({n}).")
    origin = RemedyOrigin.ORDERED
    status = RemedyStatus.IN_FORCE

    @factory.post_generation
    def covers_datasets(self, create, extracted, **kwargs):
        if create and extracted:
            self.covers_datasets.set(extracted)

    @factory.post_generation
    def covers_models(self, create, extracted, **kwargs):
        if create and extracted:
            self.covers_models.set(extracted)


class ExposureListFactory(PublicEntityFactory):
    class Meta:
        model = ExposureList
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"exposure-{n}")
    title = factory.Sequence(lambda n: f"Models trained on scraped data {n}")
    summary = "Companies that trained models on data collected under narrower terms."
    criteria = "Trained a commercial model on such data."

    @factory.post_generation
    def precedents(self, create, extracted, **kwargs):
        if create and extracted:
            self.precedents.set(extracted)


class ExposureEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExposureEntry

    exposure_list = factory.SubFactory(ExposureListFactory)
    company = factory.SubFactory(CompanyFactory)
    segment = "image generation"
    rationale = "Alleged in a pending suit to have trained on scraped images."
    level = ExposureLevel.MEDIUM


class CitationFactory(factory.django.DjangoModelFactory):
    """A citation on a case unless another owner is given (pass case=None with it)."""

    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    case = factory.SubFactory(CaseFactory)
    pinpoint = ""


# --- editorial (corrections desk) ---


def staff_groups():
    """The Editors and Publishers groups as the migrations make them.

    Transactional tests (the browser ones) empty every table after each test, data migrations'
    rows included; this makes the groups again, with the same permissions, when they are gone.
    """
    import importlib
    from types import SimpleNamespace

    from django.apps import apps as global_apps
    from django.db import connection

    if Group.objects.filter(name__in=["Editors", "Publishers"]).count() != 2:
        editor = SimpleNamespace(connection=connection)
        for module, function in [("0001_editors_group", "create_editors_group"), ("0003_desk_groups", "create_groups")]:
            getattr(importlib.import_module(f"casebase.editorial.migrations.{module}"), function)(global_apps, editor)
    return Group.objects.filter(name__in=["Editors", "Publishers"])


class EditorFactory(UserFactory):
    """A staff user in the Editors group: may triage on the desk, not publish."""

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            groups = staff_groups()
            self.groups.add(*[groups.get(name=name) for name in (extracted or ["Editors"])])


class PublisherFactory(EditorFactory):
    """An editor also in the Publishers group: may fix a page and publish its notice."""

    username = factory.Sequence(lambda n: f"publisher{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            groups = staff_groups()
            self.groups.add(*[groups.get(name=name) for name in (extracted or ["Editors", "Publishers"])])


class CorrectionFactory(factory.django.DjangoModelFactory):
    """A new web report about a published case."""

    class Meta:
        model = "editorial.Correction"
        exclude = ("page",)

    page = factory.SubFactory(CaseFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.page))
    object_id = factory.SelfAttribute("page.pk")
    page_title = factory.LazyAttribute(lambda o: str(o.page))
    page_url = factory.LazyAttribute(lambda o: o.page.get_absolute_url())
    kind = "factual_error"
    passage = factory.Sequence(lambda n: f"The page says the order was made in 2019 ({n}).")
    proposed_fix = "It was made in 2021."
    evidence_urls = "https://example.org/order.pdf"
    reporter_name = "A. Reader"
    reporter_email = factory.Sequence(lambda n: f"reader{n}@example.net")
    consent_to_contact = True


class CorrectionNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "editorial.CorrectionNotice"
        exclude = ("page",)

    page = factory.SubFactory(CaseFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.page))
    object_id = factory.SelfAttribute("page.pk")
    kind = "correction"
    text = "An earlier version of this page gave the order's date as 2019. It was 2021."


class CannedReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "editorial.CannedReply"

    title = factory.Sequence(lambda n: f"Reply {n}")
    body = "Thank you: we are checking the sources."


def sign_in(client, user, second_factor=True):
    """Sign `user` in as the admin would after password and, when asked, a TOTP code from a real device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if second_factor:
        device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# --- the reader's side: report form data and mail to the desk ---


def report_form_data(**overrides):
    """Valid report form data, as a person sends it a minute after opening the form."""
    import time

    from casebase.editorial.abuse import time_trap_token

    data = {
        "kind": "factual_error",
        "passage": "The page says the order was made in 2019.",
        "proposed_fix": "The order is dated 11 January 2021.",
        "evidence_urls": "https://www.ftc.gov/legal-library/browse/cases-proceedings/everalbum",
        "reporter_name": "Ada Reader",
        "reporter_email": "ada@example.net",
        "consent_to_contact": "on",
        "website": "",
        "started": time_trap_token(now=time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def mail_bytes(
    body="The page gets the date wrong.",
    *,
    subject="Error on your page",
    sender="Ada Reader <ada@example.net>",
    message_id=None,
    html=None,
    attachment=None,
    headers=None,
):
    """A real RFC 5322 message, as a mail client sends one: plain text, optionally HTML and an attachment."""
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    import django.utils.timezone

    message = EmailMessage()
    message["From"] = sender
    message["To"] = "editorial@casebase.invalid"
    message["Subject"] = subject
    message["Date"] = format_datetime(django.utils.timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="example.net")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        filename, data = attachment
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    return message.as_bytes()
