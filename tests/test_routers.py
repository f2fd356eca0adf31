"""Reads from a replica (DATABASE_REPLICA_URL): reader pages only; writes, the desk, admin and forms on the primary."""

import json
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.db.utils import load_backend
from django.test import RequestFactory
from django.urls import resolve, reverse
from factories import CaseFactory, EditorFactory

from casebase.knowledge.models import Case
from casebase.routers import PRIMARY, REPLICA, PrimaryReplicaRouter, ReplicaReadsMiddleware

router = PrimaryReplicaRouter()


def reads_from(method, path, cookies=None, write_first=False):
    """Where a read in the view of this request goes, through the middleware as a real request passes it."""
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path)

    def view(request):
        middleware.process_view(request, None, (), {})
        if write_first:
            router.db_for_write(Case)
        return router.db_for_read(Case)

    middleware = ReplicaReadsMiddleware(view)
    return middleware(request)


def case_page():
    return reverse("knowledge:case_detail", args=["a-case"])


@pytest.mark.parametrize(
    "path",
    [
        case_page,
        lambda: reverse("knowledge:case_list"),
        lambda: reverse("api:api_docs"),
        lambda: reverse("editorial:corrections_log"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_reader_pages_read_from_the_replica(method, path):
    assert reads_from(method, path()) == REPLICA


@pytest.mark.parametrize(
    "name",
    ["editorial:desk_home", "admin:index", "editorial:report_new", "editorial:desk_verification_queue"],
)
def test_the_desk_the_admin_and_the_forms_read_from_the_primary(name):
    """Editors and readers who have just saved something see it, whatever the replica's lag."""
    assert reads_from("GET", reverse(name)) == PRIMARY


def test_a_report_status_page_reads_from_the_primary():
    """The page a reader is sent to right after reporting must find the report."""
    assert reads_from("GET", reverse("editorial:report_thanks", args=["token"])) == PRIMARY


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_requests_that_are_not_get_or_head_read_from_the_primary(method):
    assert reads_from(method, case_page()) == PRIMARY


def test_a_signed_in_editor_reads_reader_pages_from_the_primary():
    """After saving in the admin, an editor sees the change on the public page at once."""
    assert reads_from("GET", case_page(), cookies={django_settings.SESSION_COOKIE_NAME: "abc"}) == PRIMARY


def test_after_a_write_the_request_reads_from_the_primary():
    assert reads_from("GET", case_page(), write_first=True) == PRIMARY


def test_outside_a_request_reads_and_writes_go_to_the_primary():
    """Commands, tasks and the shell read what was just written, by them or by anyone."""
    assert router.db_for_read(Case) == PRIMARY
    assert reads_from("GET", case_page()) == REPLICA
    assert router.db_for_read(Case) == PRIMARY  # the request's choice ended with it
    assert router.db_for_write(Case) == PRIMARY


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(PRIMARY, "knowledge", "case")
    assert not router.allow_migrate(REPLICA, "knowledge", "case")


def test_records_from_either_database_may_be_related():
    one, other = Case(), Case()
    one._state.db, other._state.db = PRIMARY, REPLICA
    assert router.allow_relation(one, other)


@contextmanager
def replica_alias():
    """A "replica" alias with its own connection to the test database, as a TEST MIRROR of default would be."""
    settings_dict = connections[PRIMARY].settings_dict
    replica = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias=REPLICA)
    connections[REPLICA] = replica
    try:
        yield replica
    finally:
        replica.close()
        del connections[REPLICA]


@contextmanager
def queries_on(alias, seen):
    """Count the queries each connection runs into `seen[alias]`."""

    def count(execute, sql, params, many, context):
        seen[alias] = seen.get(alias, 0) + 1
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(count):
        yield


@pytest.mark.django_db(transaction=True)  # the replica's own connection sees committed rows only, as a real one
def test_requests_through_the_test_client_use_the_database_the_router_picks(client, settings):
    case = CaseFactory()
    settings.DATABASE_ROUTERS = ["casebase.routers.PrimaryReplicaRouter"]

    def queries(path):
        seen = {}
        with queries_on(PRIMARY, seen), queries_on(REPLICA, seen):
            assert client.get(path).status_code in (200, 302)
        return seen

    with replica_alias():
        anonymous = queries(case.get_absolute_url())
        assert anonymous.get(REPLICA) and not anonymous.get(PRIMARY)
        client.force_login(EditorFactory())
        signed_in = queries(case.get_absolute_url())
        assert signed_in.get(PRIMARY) and not signed_in.get(REPLICA)
        desk = queries(reverse("editorial:desk_home"))
        assert desk.get(PRIMARY) and not desk.get(REPLICA)


def settings_with(env):
    """casebase.settings' databases, routers and middleware as a process with `env` would load them."""
    script = (
        "import json; from casebase import settings as s; "
        "print(json.dumps([s.DATABASES, getattr(s, 'DATABASE_ROUTERS', []), s.MIDDLEWARE], default=str))"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PYTEST"))}
    out = subprocess.run(
        [sys.executable, "-c", script], env=keep | env, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout)


def test_a_replica_url_adds_the_replica_and_the_router():
    databases, routers, middleware = settings_with(
        {
            "DATABASE_URL": "postgres://app@primary.internal/casebase",
            "DATABASE_REPLICA_URL": "postgres://app@replica.internal/casebase",
            "DATABASE_STATEMENT_TIMEOUT_MS": "5000",
        }
    )
    replica = databases["replica"]
    assert replica["HOST"] == "replica.internal" and databases["default"]["HOST"] == "primary.internal"
    assert replica["OPTIONS"] == databases["default"]["OPTIONS"]  # the same timeouts
    assert "statement_timeout=5000" in replica["OPTIONS"]["options"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert routers == ["casebase.routers.PrimaryReplicaRouter"]
    assert "casebase.routers.ReplicaReadsMiddleware" in middleware


def test_without_a_replica_url_there_is_one_database_and_no_router():
    databases, routers, _ = settings_with({})
    assert list(databases) == ["default"] and routers == []
