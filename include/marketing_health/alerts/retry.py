"""Retry policy for Slack calls: honour rate limits, ride out brief outages, never stall a night.

slack_sdk retries through handlers passed to its clients; the Airflow Slack hooks pass
``retry_handlers`` straight through. The built-in handlers sleep whatever ``Retry-After`` says
(Slack may ask for minutes) and do not share a limit across messages, so these variants draw
every wait from one :class:`WaitBudget` per delivery run. When the budget is spent the message
stays in the outbox and the next run sends it.
"""

from __future__ import annotations

import threading
import time

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

#: Longest Retry-After honoured for one request; Slack asking for more means "try tomorrow".
MAX_RETRY_AFTER_SECONDS = 30.0
SERVER_ERROR_STATUSES = frozenset({500, 502, 503, 504})


class WaitBudget:
    """Seconds of sleeping between retries that one delivery run may spend in total."""

    def __init__(self, seconds: float) -> None:
        self._left = max(0.0, seconds)
        self._lock = threading.Lock()

    @property
    def left(self) -> float:
        return self._left

    def take(self, seconds: float) -> bool:
        with self._lock:
            if seconds > self._left:
                return False
            self._left -= seconds
            return True


def _retry_after(response: HttpResponse | None) -> float:
    if response is None:
        return 1.0
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except (TypeError, ValueError):
                return 1.0
    return 1.0


class _BudgetedWait:
    """Sleeps the wait its ``_can_retry`` chose, paid from the run's shared budget."""

    budget: WaitBudget
    base_delay: float = 0.5
    _wait: float = 0.0

    def _backoff(self, state: RetryState) -> bool:
        """Short exponential backoff (0.5 s, 1 s, ...)."""
        self._wait = self.base_delay * (2**state.current_attempt)
        return self.budget.take(self._wait)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        time.sleep(self._wait)
        state.increment_current_attempt()


class BudgetedRateLimitRetryHandler(_BudgetedWait, RateLimitErrorRetryHandler):
    """HTTP 429: wait exactly what Retry-After asks, within the per-request cap and the budget."""

    def __init__(self, budget: WaitBudget, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.budget = budget

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        self._wait = _retry_after(response)
        return self._wait <= MAX_RETRY_AFTER_SECONDS and self.budget.take(self._wait)


class BudgetedServerErrorRetryHandler(_BudgetedWait, ServerErrorRetryHandler):
    """HTTP 500/502/503/504: Slack's side hiccuped; try again shortly."""

    def __init__(self, budget: WaitBudget, max_retry_count: int = 2) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.budget = budget

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code not in SERVER_ERROR_STATUSES:
            return False
        return self._backoff(state)


class BudgetedConnectionErrorRetryHandler(_BudgetedWait, ConnectionErrorRetryHandler):
    """Connection refused or reset: one quick retry, then leave it for the next run."""

    def __init__(self, budget: WaitBudget, max_retry_count: int = 1) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.budget = budget

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return self._backoff(state)


def retry_handlers(budget: WaitBudget) -> list:
    return [
        BudgetedRateLimitRetryHandler(budget),
        BudgetedServerErrorRetryHandler(budget),
        BudgetedConnectionErrorRetryHandler(budget),
    ]
