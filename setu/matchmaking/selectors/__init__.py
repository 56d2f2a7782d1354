"""Reads for matchmaking, by page: ``access`` (fetching with a permission check),
``agenda``, ``market``, ``schedule`` and ``schedule_report``."""
