"""Keep the search index current: every change re-indexes the entries whose text it touches.

A case's entry holds its parties' names and aliases (and their parent companies'), its authority,
remedies, datasets and legal bases, so a change to any of those re-indexes the case. Records that
are not published have no entry: `search.update_index` removes it when one stops being published.
Fixture loading (`raw`) is skipped; run `manage.py rebuild_search_index` after a loaddata.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import (
    Authority,
    Case,
    Company,
    Dataset,
    ExposureEntry,
    ExposureList,
    LegalBasis,
    Party,
    Remedy,
    RemedyType,
    SearchKind,
)
from .search import update_index

CASE = SearchKind.CASE
COMPANY = SearchKind.COMPANY
DATASET = SearchKind.DATASET
EXPOSURE_LIST = SearchKind.EXPOSURE_LIST


def ids(queryset, field="pk"):
    return set(queryset.values_list(field, flat=True))


def company_dependents(company):
    """Entries that show this company's names: its own, its and its subsidiaries' cases, its data, its lists."""
    family = ids(Company.objects.with_subsidiaries(company))
    return {
        COMPANY: {company.pk},
        CASE: ids(Party.objects.filter(company__in=family), "case_id"),
        DATASET: ids(Dataset.objects.filter(Q(collected_by=company) | Q(received_by=company))),
        EXPOSURE_LIST: ids(ExposureEntry.objects.filter(company=company), "exposure_list_id"),
    }


# --- The indexed records themselves ----------------------------------------------------------


@receiver(post_save, sender=Case)
@receiver(post_delete, sender=Case)
def case_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({CASE: {instance.pk}})


@receiver(post_save, sender=Company)
def company_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index(company_dependents(instance))


@receiver(pre_delete, sender=Company)
def company_deleting(sender, instance, **kwargs):
    # Datasets and subsidiaries let go of a deleted company (SET_NULL) without signals of their own.
    instance._search_dependents = company_dependents(instance)


@receiver(post_delete, sender=Company)
def company_deleted(sender, instance, **kwargs):
    update_index(getattr(instance, "_search_dependents", {COMPANY: {instance.pk}}))


@receiver(post_save, sender=Dataset)
def dataset_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({DATASET: {instance.pk}, CASE: ids(instance.cases.all())})


@receiver(pre_delete, sender=Dataset)
def dataset_deleting(sender, instance, **kwargs):
    instance._search_cases = ids(instance.cases.all())


@receiver(post_delete, sender=Dataset)
def dataset_deleted(sender, instance, **kwargs):
    update_index({DATASET: {instance.pk}, CASE: getattr(instance, "_search_cases", set())})


@receiver(post_save, sender=ExposureList)
@receiver(post_delete, sender=ExposureList)
def exposure_list_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({EXPOSURE_LIST: {instance.pk}})


# --- Records whose text is part of another's entry -----------------------------------------


@receiver(post_save, sender=Party)
@receiver(post_delete, sender=Party)
@receiver(post_save, sender=Remedy)
@receiver(post_delete, sender=Remedy)
def case_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({CASE: {instance.case_id}})


@receiver(post_save, sender=ExposureEntry)
@receiver(post_delete, sender=ExposureEntry)
def exposure_entry_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({EXPOSURE_LIST: {instance.exposure_list_id}})


@receiver(post_save, sender=Authority)
def authority_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({CASE: ids(Case.objects.before(instance))})


@receiver(post_save, sender=RemedyType)
def remedy_type_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({CASE: ids(Remedy.objects.filter(remedy_type=instance), "case_id")})


@receiver(post_save, sender=LegalBasis)
def legal_basis_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_index({CASE: ids(instance.cases.all())})


@receiver(pre_delete, sender=LegalBasis)
def legal_basis_deleting(sender, instance, **kwargs):
    instance._search_cases = ids(instance.cases.all())


@receiver(post_delete, sender=LegalBasis)
def legal_basis_deleted(sender, instance, **kwargs):
    update_index({CASE: getattr(instance, "_search_cases", set())})


# --- Many-to-many links that are part of an entry's text ------------------------------------


def on_m2m(through, owner_model, kind):
    """Re-index the `owner_model` side of `through` whichever side the change was made from."""
    owner_field = next(f.attname for f in through._meta.fields if f.related_model is owner_model)
    other_field = next(f.attname for f in through._meta.fields if f.is_relation and f.attname != owner_field)

    @receiver(m2m_changed, sender=through, weak=False)
    def changed(sender, instance, action, pk_set, **kwargs):
        if isinstance(instance, owner_model):
            if action in ("post_add", "post_remove", "post_clear"):
                update_index({kind: {instance.pk}})
        elif action == "pre_clear":
            instance._search_owners = ids(through.objects.filter(**{other_field: instance.pk}), owner_field)
        elif action == "post_clear":
            update_index({kind: getattr(instance, "_search_owners", set())})
        elif action in ("post_add", "post_remove"):
            update_index({kind: set(pk_set or ())})

    return changed


on_m2m(Case.datasets.through, Case, CASE)
on_m2m(Case.legal_bases.through, Case, CASE)
on_m2m(Dataset.received_by.through, Dataset, DATASET)
