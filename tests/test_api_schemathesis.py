"""Property-based requests against the API's own OpenAPI schema (schemathesis), in process through the WSGI app.

For every operation, schemathesis generates requests from /api/schema/ (valid parameters, and invalid ones) and
checks that none is a server error and that every response keeps to the schema: a documented status code and
content type, and a body the schema describes. Bounded: a fixed number of examples per operation, no deadline.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import test_filters as scenarios
from tests.factories import (
    CaseRelationFactory,
    CitationFactory,
    CorrectionNoticeFactory,
    ExchangeRateFactory,
    ExposureEntryFactory,
    ExposureListFactory,
    RemedyFactory,
    TimelineEventFactory,
    TrainedModelFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_the_test_connection():
    """Requests through the WSGI app would close the database connection at their start and end (CONN_MAX_AGE 0),
    ending the test's transaction on PostgreSQL; Django's own test client disconnects the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, settings, keep_the_test_connection):
    """The schema as the running API serves it, over a small world with every kind of record and relation."""
    settings.API_ANON_RATE = "100000/minute"  # the run makes hundreds of requests from one address
    settings.ALLOWED_HOSTS = ["*"]  # schemathesis' WSGI client names its own host
    cache.clear()
    world = scenarios.make_cases()
    RemedyFactory(
        case=world.c, remedy_type=world.cp, amount=1000, currency="EUR", exchange_rate=ExchangeRateFactory()
    )  # an amount converted at a reference rate
    TrainedModelFactory(developer=world.parent).datasets.add(world.face)
    TimelineEventFactory(case=world.a)
    CaseRelationFactory(from_case=world.b, to_case=world.a)
    CitationFactory(case=world.a, pinpoint="p. 3")
    ExposureEntryFactory(exposure_list=ExposureListFactory(precedents=[world.a]), company=world.other)
    CorrectionNoticeFactory(page=world.a)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


# schemathesis' own pytest plugin (`from_fixture`, `parametrize`) does not run under pytest 9, so the test drives
# its hypothesis strategies itself: every operation, with valid requests and with invalid ones.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_schema(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 20  # ten resources, list and detail
    exercised = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,  # the same requests on every run: a failure here is reproducible, never flaky
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def requests_keep_to_the_schema(case):
            case.call_and_validate(checks=CHECKS)

        try:
            requests_keep_to_the_schema()
        except Unsatisfiable:
            # Nothing in the schema can be broken: a detail address whose only parameter is any string.
            assert mode == GenerationMode.NEGATIVE and not operation.path.endswith("s/"), operation.label
            continue
        exercised.append(operation.path)
    # Every list takes numbers (page, page_size) that can be out of range, so every list was exercised both ways.
    assert {path for path in exercised if path.endswith("/")} >= {op.path for op in operations if "{" not in op.path}
