"""Matchmaking pages, thin: fetch with selectors, check a rule, call a service, render."""
