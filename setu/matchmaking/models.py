"""B2B matchmaking at an event: the slot grid, participants, requests, schedules and meetings.

The organiser configures one :class:`Matchmaking` per event; participants (one per
organisation) ask each other for meetings; accepted requests go to the scheduler
(``setu.algorithms.scheduling``), whose result is a :class:`ScheduleRun` with its
:class:`Meeting` rows. A run is a draft until published; publishing makes it everyone's agenda.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.directory.models import Organisation, Sector
from setu.events.models import Event


class PairRule(models.TextChoices):
    ANY = "any", _("Any participant may meet any other")
    CROSS = "cross", _("Japanese side ↔ Indian side only")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BOTH = "both", _("In person or online")


class Matchmaking(models.Model):
    """An event's matchmaking settings."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="matchmaking")
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=20)
    tables = models.PositiveSmallIntegerField(
        _("tables per slot"), default=10, help_text=_("How many meetings can run at once.")
    )
    table_names = models.TextField(
        _("table names"),
        blank=True,
        help_text=_("Optional, one per line (e.g. booth names); replaces the numbers."),
    )
    mode = models.CharField(
        _("meeting mode"), max_length=10, choices=MeetingMode.choices, default="in_person"
    )
    online_url = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Used for online meetings when a participant gives no link of their own."),
    )
    requests_open_at = models.DateTimeField(_("requests open"), null=True, blank=True)
    requests_close_at = models.DateTimeField(_("requests close"), null=True, blank=True)
    max_requests = models.PositiveSmallIntegerField(
        _("requests per participant"),
        default=20,
        help_text=_("The most meeting requests one participant may have sent and not withdrawn."),
    )
    pair_rule = models.CharField(
        _("who may meet whom"), max_length=8, choices=PairRule.choices, default="any"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matchmaking")
        verbose_name_plural = _("matchmaking")

    def __str__(self) -> str:
        return f"matchmaking for {self.event}"

    def requests_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.requests_open_at is None or now < self.requests_open_at:
            return False
        return self.requests_close_at is None or now < self.requests_close_at

    def table_label(self, number: int) -> str:
        """The name organisers gave table ``number`` (0-based), else "Table 1", "Table 2"…"""
        names = [line.strip() for line in self.table_names.splitlines() if line.strip()]
        if number < len(names):
            return names[number]
        return str(_("Table %(number)s") % {"number": number + 1})


class MeetingDay(models.Model):
    """One day's meeting hours; slots are cut from it, skipping its breaks."""

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("first meeting"))
    ends = models.TimeField(_("last meeting ends"))
    breaks = models.CharField(
        _("breaks"),
        max_length=200,
        blank=True,
        help_text=_('Times without meetings, e.g. "12:30-13:30, 15:30-15:45".'),
    )

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["matchmaking", "date"], name="mm_day_once"),
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="mm_day_order"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.starts}-{self.ends}"


class Slot(models.Model):
    """A meeting time slot, generated from the days; ``index`` is the scheduler's slot number."""

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    tables = models.PositiveSmallIntegerField(
        _("tables"), null=True, blank=True, help_text=_("Leave empty for the event's number.")
    )

    class Meta:
        ordering = ["matchmaking", "index"]
        constraints = [
            models.UniqueConstraint(fields=["matchmaking", "index"], name="mm_slot_index"),
        ]

    def __str__(self) -> str:
        return f"slot {self.index + 1} {self.starts_at:%Y-%m-%d %H:%M}"

    def table_count(self, matchmaking: Matchmaking) -> int:
        return matchmaking.tables if self.tables is None else self.tables

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


class Side(models.TextChoices):
    JP = "JP", _("Japanese side")
    IN = "IN", _("Indian side")
    OTHER = "XX", _("Other")


class Participant(models.Model):
    """An organisation taking part in an event's matchmaking, with its profile for that event."""

    matchmaking = models.ForeignKey(
        Matchmaking, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="matchmaking_profiles"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="matchmaking_profiles",
        verbose_name=_("contact person"),
    )
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    offers = models.TextField(_("offers"), blank=True, help_text=_("What you sell or can provide"))
    needs = models.TextField(_("needs"), blank=True, help_text=_("What you are looking for"))
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("sectors"))
    languages = models.CharField(
        _("languages spoken"),
        max_length=40,
        default="en",
        help_text=_("Language codes separated by commas, e.g. en,ja."),
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    mode = models.CharField(
        _("meets"), max_length=10, choices=MeetingMode.choices, default="in_person"
    )
    online_url = models.URLField(_("own online meeting link"), max_length=500, blank=True)
    unavailable = models.ManyToManyField(
        Slot, blank=True, related_name="unavailable_participants", verbose_name=_("unavailable")
    )
    fixed_table = models.PositiveSmallIntegerField(
        _("fixed table"),
        null=True,
        blank=True,
        help_text=_("A booth: all of this participant's meetings are at this table."),
    )
    active = models.BooleanField(_("taking part"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["matchmaking", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matchmaking", "organisation"], name="mm_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class ProfileEmbedding(models.Model):
    """A participant's offers and needs as vectors, made by the worker when the texts change.

    Per field: the sentences as cut (quoted in explanations), one row per sentence
    (``rows``: float32 bytes, ``setu.algorithms.embedding``) and the field's mean vector
    (``mean``: empty bytes for an empty field). The ranking reads only the means; the rows are
    read for the few recommendations shown with their reasons. ``model_version`` and
    ``text_hash`` tell whether the vectors still stand for the profile as it is now.
    """

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="embedding"
    )
    model_version = models.CharField(max_length=80)
    text_hash = models.CharField(max_length=64)
    offers_sentences = models.JSONField(default=list)
    needs_sentences = models.JSONField(default=list)
    offers_rows = models.BinaryField(default=b"")
    needs_rows = models.BinaryField(default=b"")
    offers_mean = models.BinaryField(default=b"")
    needs_mean = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"vectors of participant {self.participant_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class Priority(models.IntegerChoices):
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    ESSENTIAL = 3, _("Essential")


class MeetingRequest(models.Model):
    """One participant asking another for a meeting."""

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received")
    # "<smaller participant id>-<larger>": one open request per pair, whichever way round.
    pair_key = models.CharField(max_length=40, editable=False)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default="pending"
    )
    answer = models.TextField(_("answer"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["matchmaking", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="mm_request_not_self"
            ),
            models.UniqueConstraint(
                fields=["matchmaking", "pair_key"],
                condition=Q(status__in=["pending", "accepted"]),
                name="mm_request_open_once",
            ),
        ]
        indexes = [models.Index(fields=["matchmaking", "status"])]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"

    # The pair key is derived from the two participants, so it can never disagree with them.
    def save(self, *args: object, **kwargs: object) -> None:
        self.pair_key = self.key_for(self.requester_id, self.recipient_id)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def key_for(a: int, b: int) -> str:
        return f"{min(a, b)}-{max(a, b)}"

    def other(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.requester_id else self.requester


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Draft ready")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a later schedule")


class ScheduleRun(models.Model):
    """One scheduler run: a draft the organiser reviews, adjusts and publishes."""

    matchmaking = models.ForeignKey(Matchmaking, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the progress bar
    error = models.TextField(blank=True)
    # The published run this one reschedules around (its meetings are kept where they are).
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reschedules"
    )
    requests_count = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    upper_bound = models.PositiveIntegerField(default=0)
    priority_placed = models.PositiveIntegerField(default=0)
    priority_upper_bound = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # Computed by the worker so the draft page does not: the bound with unlimited tables, and
    # per language pair what one more interpreter could place (a list of objects).
    people_bound = models.PositiveIntegerField(null=True, blank=True)
    interpreter_advice = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["matchmaking", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matchmaking"],
                condition=Q(status="published"),
                name="mm_one_published_run",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def gap(self) -> int:
        return max(0, self.upper_bound - self.placed)

    @property
    def percent_of_bound(self) -> float:
        return 100.0 if self.upper_bound == 0 else 100.0 * self.placed / self.upper_bound


class Interpreter(models.Model):
    """Someone the organisers add to an event to interpret meetings whose sides share no
    language: between any two of ``languages``, one meeting per slot."""

    matchmaking = models.ForeignKey(
        Matchmaking, on_delete=models.CASCADE, related_name="interpreters"
    )
    name = models.CharField(_("name"), max_length=120)
    languages = models.CharField(
        _("languages"),
        max_length=40,
        help_text=_("At least two language codes separated by commas, e.g. ja,hi."),
    )
    unavailable = models.ManyToManyField(
        Slot, blank=True, related_name="unavailable_interpreters", verbose_name=_("unavailable")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["matchmaking", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:interpreters", args=[self.matchmaking.event_id])

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Outcome(models.TextChoices):
    SCHEDULED = "", _("Scheduled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A request placed at a slot and table in one run."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="meetings")
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"))
    online = models.BooleanField(_("online"), default=False)
    moved_by_hand = models.BooleanField(default=False)
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("interpreter"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    no_show_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "slot__index", "table"]
        constraints = [
            models.UniqueConstraint(fields=["run", "request"], name="mm_meeting_request_once"),
            models.UniqueConstraint(
                fields=["run", "slot", "table"],
                condition=Q(online=False),
                name="mm_meeting_table_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} table {self.table + 1}"


class UnplacedReason(models.TextChoices):
    NO_COMMON_FREE_SLOT = "no_common_free_slot", _("The two sides share no free slot")
    PARTICIPANT_FULL = "participant_full", _("One side is busy in every common slot")
    NO_TABLE = "no_table", _("No table left in the common free slots")
    NO_INTERPRETER = "no_interpreter", _("No interpreter free in the common free slots")
    # Not a scheduler reason: an organiser took the meeting out of a draft by hand.
    REMOVED = "removed", _("Removed from the draft by an organiser")


class Unplaced(models.Model):
    """An accepted request a run could not place, and why."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="unplaced")
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=24, choices=UnplacedReason.choices)

    class Meta:
        ordering = ["run", "request_id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.reason}"


class FollowUp(models.Model):
    """What one side noted after a meeting: the first step on the path to a deal."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    interest = models.PositiveSmallIntegerField(
        _("interest"),
        choices=[(0, _("None")), (1, _("Some")), (2, _("Strong"))],
        default=1,
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="mm_follow_up_once"),
        ]

    def __str__(self) -> str:
        return f"follow-up on meeting {self.meeting_id}"
