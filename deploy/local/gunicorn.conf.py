"""gunicorn settings of the local stack (deploy/local/common.sh passes the rest as flags).

The app is loaded once in the master and the workers fork from it: a worker starts warm (URL
configuration, views, the text analyser's tables and dictionary) instead of paying for them on
its first requests, and a restarted server answers sooner. The project's own templates are
compiled then too (Django's cached loader keeps them per process), so a fresh worker does not
spend its first requests compiling each page.

The warm-up runs in ``on_starting``, before gunicorn opens its port: a server restarted under
load (the load test kills one) takes no connection until it can answer it, so nginx keeps
sending everything to the other server meanwhile instead of queueing requests behind the
warm-up. Then everything loaded so far is frozen out of the garbage collector's reach: the
workers share those pages with the master (no copy on write from the collector touching them)
and each collection walks only what a request made.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

preload_app = True


def on_starting(server: Any) -> None:
    from django.urls import get_resolver

    from setu.algorithms import text

    get_resolver().url_patterns  # noqa: B018  # imports every view module
    text.tokenize("静岡県の水素エネルギー renewable नवीकरणीय ऊर्जा")
    _compile_templates()
    gc.collect()
    gc.freeze()


def _compile_templates() -> None:
    """Load every template of the project (not of the libraries in the venv) into the cache."""
    from django.template import engines
    from django.template.loader import get_template

    for loader in engines["django"].engine.template_loaders:  # type: ignore[attr-defined]
        for source in getattr(loader, "loaders", [loader]):
            for directory in map(Path, source.get_dirs()):
                if ROOT not in directory.parents or ".venv" in directory.parts:
                    continue
                for path in directory.rglob("*.html"):
                    get_template(str(path.relative_to(directory)))
