"""Mission budget lines and their cost shares among the lead and participating prefectures.

A line's shares always add up to its amount exactly. Equal and headcount shares are computed
with ``setu.coordination.costs.split_amount`` (largest remainder, ties to the lead, then to
participants in the order they joined) and recomputed whenever participants or delegates
change; fixed shares are entered by the lead and must add up on their own.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.coordination.costs import split_amount
from setu.coordination.models import BudgetLine, CostShare, Mission, SplitMethod
from setu.coordination.selectors import headcounts, mission_prefectures
from setu.core import audit

MAX_AMOUNT_JPY = 10**12


def _yen(amount: int) -> str:
    return f"¥{amount:,}"


def shares_for(
    *, mission: Mission, amount_jpy: int, split: str, fixed: Mapping[int, int] | None = None
) -> dict[int, int]:
    """Each prefecture's share of ``amount_jpy`` (lead first, then participants)."""
    prefectures = [org.pk for org in mission_prefectures(mission)]
    if split == SplitMethod.EQUAL:
        return split_amount(amount_jpy, [(pk, 1) for pk in prefectures])
    if split == SplitMethod.HEADCOUNT:
        counts = headcounts(mission)
        if not any(counts.get(pk, 0) for pk in prefectures):
            raise ValidationError(
                {
                    "split": _(
                        "Nobody is on the delegation list yet, so there is no headcount to "
                        "share by. Add delegates first, or share equally."
                    )
                }
            )
        return split_amount(amount_jpy, [(pk, counts.get(pk, 0)) for pk in prefectures])
    if split == SplitMethod.FIXED:
        fixed = dict(fixed or {})
        strangers = set(fixed) - set(prefectures)
        if strangers:
            raise ValidationError(
                _("Only the lead and participating prefectures can carry a share.")
            )
        if any(value < 0 for value in fixed.values()):
            raise ValidationError(_("A share cannot be negative."))
        given = sum(fixed.values())
        if given != amount_jpy:
            raise ValidationError(
                _(
                    "The shares add up to %(given)s, but the line is %(total)s "
                    "(%(difference)s %(direction)s). Make them add up exactly."
                )
                % {
                    "given": _yen(given),
                    "total": _yen(amount_jpy),
                    "difference": _yen(abs(amount_jpy - given)),
                    "direction": _("short") if given < amount_jpy else _("over"),
                }
            )
        return {pk: fixed.get(pk, 0) for pk in prefectures}
    raise ValidationError({"split": _("Choose how the cost is shared.")})


def _store_shares(line: BudgetLine, shares: Mapping[int, int]) -> None:
    line.shares.all().delete()
    CostShare.objects.bulk_create(
        CostShare(line=line, organisation_id=pk, amount_jpy=amount) for pk, amount in shares.items()
    )


def _describe(mission: Mission, shares: Mapping[int, int]) -> str:
    names = {org.pk: str(org) for org in mission_prefectures(mission)}
    return ", ".join(
        f"{names.get(pk, pk)}: {_yen(amount)}" for pk, amount in sorted(shares.items())
    )


@transaction.atomic
def budget_line_save(
    *,
    mission: Mission,
    actor: User,
    title: str,
    amount_jpy: int,
    split: str,
    fixed_shares: Mapping[int, int] | None = None,
    note: str = "",
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Create (``line`` None) or change a line and its shares, all or nothing."""
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    if not title.strip():
        raise ValidationError({"title": _("Name the cost.")})
    if amount_jpy < 0 or amount_jpy > MAX_AMOUNT_JPY:
        raise ValidationError({"amount_jpy": _("Give an amount in whole yen.")})
    shares = shares_for(mission=mission, amount_jpy=amount_jpy, split=split, fixed=fixed_shares)
    creating = line is None
    before = {} if line is None else {"title": line.title, "amount_jpy": line.amount_jpy}
    if line is None:
        line = BudgetLine(mission=mission, created_by=actor)
    else:
        before["shares"] = _describe(
            mission, {share.organisation_id: share.amount_jpy for share in line.shares.all()}
        )
        before["split"] = line.split
    line.title, line.amount_jpy, line.split, line.note = title.strip(), amount_jpy, split, note
    line.save()
    _store_shares(line, shares)
    after = {
        "title": line.title,
        "amount_jpy": amount_jpy,
        "split": split,
        "shares": _describe(mission, shares),
    }
    audit.record(
        mission,
        "coordination.budget_line.created" if creating else "coordination.budget_line.changed",
        actor=actor,
        changes={"line": [None, line.title], **audit.field_changes(before, after)},
    )
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor: User) -> None:
    mission, title = line.mission, line.title
    line.delete()
    audit.record(
        mission, "coordination.budget_line.deleted", actor=actor, changes={"line": [title, None]}
    )


def budget_recompute(*, mission: Mission) -> None:
    """Recompute computed shares after the prefectures or the delegation changed.

    Call inside the transaction that made the change: a ``ValidationError`` (a fixed share
    held by a prefecture that left, no headcount left) then undoes the whole change.
    """
    prefectures = {org.pk for org in mission_prefectures(mission)}
    for line in mission.budget_lines.prefetch_related("shares"):
        current = {share.organisation_id: share.amount_jpy for share in line.shares.all()}
        if line.split == SplitMethod.FIXED:
            leaving = [pk for pk, amount in current.items() if pk not in prefectures and amount]
            if leaving:
                raise ValidationError(
                    _(
                        "“%(line)s” gives a fixed share to a prefecture that would leave. "
                        "Change that line first."
                    )
                    % {"line": line.title}
                )
            shares = {pk: current.get(pk, 0) for pk in prefectures}
        else:
            try:
                shares = shares_for(mission=mission, amount_jpy=line.amount_jpy, split=line.split)
            except ValidationError as error:
                raise ValidationError(
                    _("“%(line)s” is shared by headcount and would have nobody to share it.")
                    % {"line": line.title}
                ) from error
        if shares != current:
            _store_shares(line, shares)
