"""Keep domain errors to their one-line message in Prefect's logs (no traceback)."""

from __future__ import annotations

import logging

from core.errors import RdvError


class DomainErrorFilter(logging.Filter):
    """Drops the traceback of a log record whose exception is one of our domain errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], RdvError):
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_domain_tracebacks() -> None:
    """Attach the filter to the handlers Prefect logs through (idempotent)."""
    from prefect.logging.configuration import setup_logging

    setup_logging()
    the_filter = DomainErrorFilter()
    # the run loggers too: their records reach the API (the UI's run logs) through their own handler
    for name in ("prefect", "", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, DomainErrorFilter) for f in handler.filters):
                handler.addFilter(the_filter)
