"""Forms of the coordination pages. Forms check shape; services check the rules."""

from setu.coordination.forms.meetings import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AttachmentForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    PublishForm,
    RsvpForm,
    SeriesForm,
)
from setu.coordination.forms.missions import (
    BudgetLineForm,
    DelegateForm,
    DestinationForm,
    ItineraryForm,
    MissionForm,
    ParticipantForm,
    ProposalForm,
    ReportForm,
    TaskForm,
)

__all__ = [
    "ActionItemForm",
    "ActionStatusForm",
    "AgendaItemForm",
    "AttachmentForm",
    "BudgetLineForm",
    "DecisionForm",
    "DelegateForm",
    "DestinationForm",
    "InviteForm",
    "ItineraryForm",
    "MeetingForm",
    "MinutesForm",
    "MissionForm",
    "ParticipantForm",
    "ProposalForm",
    "PublishForm",
    "ReportForm",
    "RsvpForm",
    "SeriesForm",
    "TaskForm",
]
