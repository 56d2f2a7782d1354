"""Minutes differences as accessible, escaped HTML (setu.coordination.diff)."""

from __future__ import annotations

from setu.coordination.diff import render_diff


def test_added_and_removed_lines_are_marked_and_labelled() -> None:
    diff = render_diff("one\ntwo\nthree", "one\nthree\nfour")
    assert (diff.added, diff.removed) == (1, 1)
    assert '<del><span class="visually-hidden">removed: </span>two</del>' in diff.html
    assert '<ins><span class="visually-hidden">added: </span>four</ins>' in diff.html


def test_a_changed_line_is_compared_word_by_word() -> None:
    diff = render_diff("Shizuoka joins with two companies.", "Shizuoka joins with three companies.")
    assert "diff__line--changed" in diff.html
    assert "two</del>" in diff.html and "three</ins>" in diff.html
    assert "Shizuoka joins with " in diff.html


def test_text_is_escaped() -> None:
    diff = render_diff("", "<script>alert(1)</script> & more")
    assert "<script>" not in diff.html
    assert "&lt;script&gt;" in diff.html and "&amp; more" in diff.html


def test_long_unchanged_stretches_are_folded() -> None:
    old = "\n".join(f"line {n}" for n in range(30))
    new = old + "\nline 30"
    diff = render_diff(old, new)
    assert "unchanged lines" in diff.html
    assert diff.html.count("diff__line--same") <= 4
    assert diff.added == 1 and diff.removed == 0


def test_identical_texts() -> None:
    assert render_diff("a\nb", "a\nb").unchanged
    assert render_diff("", "").unchanged
