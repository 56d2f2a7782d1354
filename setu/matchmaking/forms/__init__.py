"""Matchmaking forms: ``common`` (set-up, profiles, requests) and ``schedule``."""
