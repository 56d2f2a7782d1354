"""No view reads an owned record without the policy (issue "the architecture step", item 2).

Every model with an ``owner`` and a ``visibility`` is read in views through ``visible_to``
(which asks ``Principal``), an ``access_*`` selector or ``get_visible_or_404`` on such a
queryset. This test reads the source of every view module and fails on
``<Model>.objects.<anything but visible_to>``, ``<Model>._default_manager`` and
``get_object_or_404(<Model>, ...)`` for those models, unless the call is allow-listed below
with its reason. The role matrix stays the safety net; this catches the mistake at the line.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings

ALLOWED_METHODS = {"visible_to"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}

# (module, model, method) → why the plain manager is right there.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("setu.coordination.views.actions", "ActionItem", "get"): (
        "re-reads the action item access_action_item already returned, fresh for the update"
    ),
    ("setu.coordination.views.meetings", "MeetingSeries", "get"): (
        "re-reads the series access_series already returned, fresh for the update"
    ),
    ("setu.coordination.views.meetings", "MeetingSeries", "filter"): (
        "the edited meeting's own series, kept among the choices; the meeting was read "
        "through access_meeting"
    ),
    ("setu.coordination.views.missions", "Mission", "get"): (
        "re-reads the mission access_mission already returned, fresh for the update"
    ),
}


def owned_models() -> set[type[Any]]:
    """Models carrying both an owner and a visibility: the policy decides who reads them."""
    return {
        model
        for model in apps.get_models()
        if {"owner", "visibility"} <= {field.name for field in model._meta.get_fields()}
    }


def view_modules() -> list[str]:
    root = Path(settings.BASE_DIR) / "setu"
    paths = set(root.glob("*/views*.py")) | set(root.glob("*/views/**/*.py"))
    return sorted(
        ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for path in paths
        if path.name != "__init__.py" or path.parent.name == "views"
    )


def bypasses(
    source: str, namespace: ModuleType | dict[str, Any], owned: set[type[Any]]
) -> list[tuple[int, str, str]]:
    """``(line, model, method)`` for each read of an owned model that skips the policy."""

    def model_named(node: ast.expr) -> type[Any] | None:
        if not isinstance(node, ast.Name):
            return None
        found = (
            namespace.get(node.id)
            if isinstance(namespace, dict)
            else getattr(namespace, node.id, None)
        )
        return found if found in owned else None

    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "objects":
                model = model_named(inner.value)
                if model is not None and node.attr not in ALLOWED_METHODS:
                    found.append((node.lineno, model.__name__, node.attr))
            elif node.attr == "_default_manager":
                model = model_named(inner)
                if model is not None:
                    found.append((node.lineno, model.__name__, "_default_manager"))
        elif isinstance(node, ast.Call) and node.args:
            name = node.func.id if isinstance(node.func, ast.Name) else None
            model = model_named(node.args[0]) if name in SHORTCUTS else None
            if model is not None:
                found.append((node.lineno, model.__name__, str(name)))
    return sorted(found)


def test_views_read_owned_records_only_through_the_policy() -> None:
    owned = owned_models()
    assert {m.__name__ for m in owned} >= {"Document", "Event", "Meeting", "Person"}
    modules = view_modules()
    assert "setu.events.views" in modules and "setu.coordination.views.meetings" in modules
    problems = []
    for name in modules:
        module = importlib.import_module(name)
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        for line, model, method in bypasses(source, module, owned):
            if (name, model, method) not in ALLOWED:
                problems.append(f"{name}:{line} {model}.objects.{method}")
    assert not problems, (
        "views reading owned records without visible_to / access_* / get_visible_or_404 "
        f"(or add an allow-listed reason in this test): {problems}"
    )


def test_the_guard_catches_a_bypass() -> None:
    """The scanner itself: a plain manager read of an owned model is found, the policy's not."""
    from setu.library.models import Document

    owned = owned_models()
    source = (
        "def view(request, pk):\n"
        "    a = Document.objects.visible_to(request.user).get(pk=pk)\n"
        "    b = Document.objects.filter(pk=pk)\n"
        "    c = Document._default_manager.all()\n"
        "    d = get_object_or_404(Document, pk=pk)\n"
    )
    assert bypasses(source, {"Document": Document}, owned) == [
        (3, "Document", "filter"),
        (4, "Document", "_default_manager"),
        (5, "Document", "get_object_or_404"),
    ]
