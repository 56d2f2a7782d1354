"""Writes for matchmaking, by domain: ``setup`` (settings, days, slots, profiles,
participants), ``requests`` (the marketplace), ``schedule`` (scheduler runs, publishing),
``schedule_edit`` (hand edits) and ``outcome`` (meeting outcomes, follow-ups). Each function
is keyword-only, runs in one transaction and audits."""
