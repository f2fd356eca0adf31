"""The production settings plus what only the benchmark adds: a bare view, a query counter, a temporary
static root. For `make bench` only: it refuses to load without CASEBASE_BENCH=1, and nothing in casebase/
imports it."""

import os

from django.core.exceptions import ImproperlyConfigured

from casebase.settings import *  # noqa: F403
from casebase.settings import MIDDLEWARE

if os.environ.get("CASEBASE_BENCH") != "1":
    raise ImproperlyConfigured("bench.settings is for the benchmark only: set CASEBASE_BENCH=1.")

ROOT_URLCONF = "bench.urls"
# Outermost, so the count covers every middleware's queries too (sessions, the admin's second factor).
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
