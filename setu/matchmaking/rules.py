"""Who may do what in an event's matchmaking.

- ``matchmaking.organise``: the event's organisers (``events.run_event``: lead and co-host
  officers, the secretariat) set up the grid, run the scheduler, move meetings, publish.
- ``matchmaking.act_for``: a participant's own people (members of its organisation) edit its
  profile, send, answer and withdraw requests, and record outcomes.
"""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for


@rules.predicate
def is_event_organiser(user: Any, matchmaking: Any) -> bool:
    return matchmaking is not None and user.has_perm("events.run_event", matchmaking.event)


@rules.predicate
def speaks_for_participant(user: Any, participant: Any) -> bool:
    return participant is not None and participant.organisation_id in principal_for(user).org_ids


rules.add_perm("matchmaking.organise", is_event_organiser)
rules.add_perm("matchmaking.act_for", speaks_for_participant)
