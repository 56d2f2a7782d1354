"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class ForbiddenInOneLine(logging.Filter):
    """A 403 is logged as one line, without the PermissionDenied traceback.

    Django's ``django.request`` logger passes the exception along with every 403 ("Forbidden
    (Permission denied): /path"); a refused request is expected traffic, and a traceback per
    refusal buries real errors. 500s keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
