"""gunicorn settings of the local stack (deploy/local/common.sh passes the rest as flags).

The app is loaded once in the master and the workers fork from it: a worker starts warm (URL
configuration, views, the text analyser's tables and dictionary) instead of paying for them on
its first requests, and a restarted server answers sooner.
"""

from __future__ import annotations

from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    from django.urls import get_resolver

    from setu.algorithms import text

    get_resolver().url_patterns  # noqa: B018  # imports every view module
    text.tokenize("静岡県の水素エネルギー renewable नवीकरणीय ऊर्जा")
