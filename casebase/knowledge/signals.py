"""Keep the search index current: every change schedules a refresh of the entries its text is part of.

Which change refreshes which entry is `indexing.REFRESHES` / `indexing.LINKS`; the refreshes are applied once
when the transaction commits (`indexing.schedule`). Records that are not published have no entry: the refresh
removes it when one stops being published. Fixture loading (`raw`) is skipped; run
`manage.py rebuild_search_index` after a loaddata.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from . import indexing


def saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule(indexing.dependents(instance))


def deleting(sender, instance, **kwargs):
    # Read before the row goes: links and SET_NULL references leave without signals of their own.
    instance._search_dependents = indexing.dependents(instance)


def deleted(sender, instance, **kwargs):
    indexing.schedule(getattr(instance, "_search_dependents", {}))


def link_changed(sender, instance, action, pk_set, **kwargs):
    changes = indexing.link_dependents(sender, instance, action, pk_set)
    if action == "pre_clear":
        instance._search_owners = changes or {}
    elif action == "post_clear" and changes is None:
        indexing.schedule(getattr(instance, "_search_owners", {}))
    elif changes:
        indexing.schedule(changes)


for model in indexing.REFRESHES:
    post_save.connect(saved, sender=model, dispatch_uid=f"search-saved-{model._meta.label}")
    pre_delete.connect(deleting, sender=model, dispatch_uid=f"search-deleting-{model._meta.label}")
    post_delete.connect(deleted, sender=model, dispatch_uid=f"search-deleted-{model._meta.label}")
for through in indexing.LINKS:
    m2m_changed.connect(link_changed, sender=through, dispatch_uid=f"search-link-{through._meta.label}")
