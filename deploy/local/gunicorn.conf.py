"""gunicorn settings of the local stack (deploy/local/common.sh passes the rest as flags).

The app is loaded once in the master and the workers fork from it: a worker starts warm (URL
configuration, views, the text analyser's tables and dictionary) instead of paying for them on
its first requests, and a restarted server answers sooner.

The warm-up runs in ``on_starting``, before gunicorn opens its port: a server restarted under
load (the load test kills one) takes no connection until it can answer it, so nginx keeps
sending everything to the other server meanwhile instead of queueing requests behind the
warm-up. Then everything loaded so far is frozen out of the garbage collector's reach: the
workers share those pages with the master (no copy on write from the collector touching them)
and each collection walks only what a request made.
"""

from __future__ import annotations

import gc
from typing import Any

preload_app = True


def on_starting(server: Any) -> None:
    from django.urls import get_resolver

    from setu.algorithms import text

    get_resolver().url_patterns  # noqa: B018  # imports every view module
    text.tokenize("静岡県の水素エネルギー renewable नवीकरणीय ऊर्जा")
    gc.collect()
    gc.freeze()
