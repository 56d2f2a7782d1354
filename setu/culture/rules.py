"""Who may do what with courses and festivals.

- ``culture.run_course`` (set the course up, see its learners, complete them, their
  certificates) and ``culture.organise_festival`` (programme, shifts): whoever may change the
  event underneath (``events.change_event``: the hosts' officers and the secretariat).
- ``culture.take_attendance``: the course's organisers and its teacher.
- ``culture.join``: any signed-in person (students, members, partners, staff) enrols in a
  course or volunteers for a shift they can see.
"""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def organises_course(user: Any, course: Any) -> bool:
    return course is not None and user.has_perm("events.change_event", course.event)


@rules.predicate
def teaches_course(user: Any, course: Any) -> bool:
    return course is not None and course.teacher_id is not None and course.teacher_id == user.pk


@rules.predicate
def organises_event(user: Any, event: Any) -> bool:
    return event is not None and user.has_perm("events.change_event", event)


rules.add_perm("culture.run_course", organises_course)
rules.add_perm("culture.take_attendance", organises_course | teaches_course)
rules.add_perm("culture.organise_festival", organises_event)
rules.add_perm("culture.join", rules.is_authenticated)
