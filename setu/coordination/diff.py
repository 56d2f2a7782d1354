"""Differences between two revisions of the minutes, as accessible HTML.

Lines are compared with ``difflib.SequenceMatcher``; a changed line is compared again word by
word. Removed text is wrapped in ``<del>`` and added text in ``<ins>``, each starting with a
visually hidden label ("removed:", "added:") because screen readers do not announce the
elements themselves. Long unchanged stretches are folded to a count.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CONTEXT = 2
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class DiffSummary:
    added: int
    removed: int
    html: SafeString

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed)


def _label(text: str) -> str:
    return f'<span class="visually-hidden">{escape(text)} </span>'


def _removed(text: str) -> str:
    return f"<del>{_label(_('removed:'))}{escape(text)}</del>"


def _added(text: str) -> str:
    return f"<ins>{_label(_('added:'))}{escape(text)}</ins>"


def _words(old: str, new: str) -> str:
    """One changed line, word by word."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(_removed("".join(a[i1:i2])))
        if j2 > j1:
            parts.append(_added("".join(b[j1:j2])))
    return "".join(parts)


def _line(kind: str, content: str) -> str:
    return f'<li class="diff__line diff__line--{kind}">{content or "&nbsp;"}</li>'


def _folded(count: int) -> str:
    text = ngettext("%(n)s unchanged line", "%(n)s unchanged lines", count) % {"n": count}
    return f'<li class="diff__line diff__line--fold">… {escape(text)} …</li>'


def render_diff(old: str, new: str) -> DiffSummary:
    """HTML showing how ``new`` differs from ``old``, with the count of lines added and removed."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[str] = []
    added = removed = 0
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines = a[i1:i2]
            head = lines[:CONTEXT] if index > 0 else []
            tail = lines[-CONTEXT:] if index < len(opcodes) - 1 else []
            if len(lines) <= len(head) + len(tail) + 1:
                rows.extend(_line("same", escape(line)) for line in lines)
                continue
            rows.extend(_line("same", escape(line)) for line in head)
            rows.append(_folded(len(lines) - len(head) - len(tail)))
            rows.extend(_line("same", escape(line)) for line in tail)
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for old_line, new_line in zip(a[i1:i2], b[j1:j2], strict=True):
                rows.append(_line("changed", _words(old_line, new_line)))
            removed += i2 - i1
            added += j2 - j1
        else:
            rows.extend(_line("removed", _removed(line)) for line in a[i1:i2])
            rows.extend(_line("added", _added(line)) for line in b[j1:j2])
            removed += i2 - i1
            added += j2 - j1
    if not rows:
        rows.append(_line("same", f'<span class="muted">{escape(_("(empty)"))}</span>'))
    html = '<ol class="diff">' + "".join(rows) + "</ol>"
    return DiffSummary(added=added, removed=removed, html=mark_safe(html))  # noqa: S308  # every piece of text above is escaped
