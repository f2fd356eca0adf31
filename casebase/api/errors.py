"""How the API says no: 400 naming each bad parameter and what it accepts, and a clear 429."""

from dataclasses import asdict, dataclass, field

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler


@dataclass
class ParameterProblem:
    """One query parameter the API refuses: its name, the values given, why, and the values it accepts."""

    parameter: str
    values: list[str]
    message: str
    accepts: str
    accepted: list[str] = field(default_factory=list)


class InvalidQuery(APIException):
    """A query the API will not guess at: the HTML list forgives, the API answers 400 (DESIGN §5)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_query"

    def __init__(self, problems):
        self.problems = list(problems)
        names = ", ".join(dict.fromkeys(problem.parameter for problem in self.problems))
        super().__init__(f"Invalid query parameter: {names}. Nothing was filtered; correct the query and ask again.")

    def body(self):
        return {"detail": str(self.detail), "errors": [asdict(problem) for problem in self.problems]}


def handle_exception(exc, context):
    """DRF's own handler, with InvalidQuery's errors in the body."""
    if isinstance(exc, InvalidQuery):
        return Response(exc.body(), status=exc.status_code)
    return exception_handler(exc, context)


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address, at the rate API_ANON_RATE sets (read at each request, so tests can lower it)."""

    def get_rate(self):
        return settings.API_ANON_RATE


def rate_words(rate):
    """'60/minute' -> '60 requests a minute', as DRF reads the rate (the period's first letter counts)."""
    number, period = rate.split("/")
    unit = {"s": "second", "m": "minute", "h": "hour", "d": "day"}[period[0]]
    return f"{number} requests a {unit}"


def throttled(rate, wait):
    """The 429 the API answers with: the limit, and (from DRF, and in Retry-After) when to try again."""
    return Throttled(
        wait=wait,
        detail=f"Too many requests: the API answers {rate_words(rate)} from each client address. "
        "For the whole data set, use the bulk download rather than paging through the API.",
    )
