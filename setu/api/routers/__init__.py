"""One router per area, mounted by ``setu.api.main``: directory, events, matchmaking, library.

A router module reads through its app's selectors (``<entity>_list``, ``access_<entity>``) and
writes through its services; it never filters by owner or visibility itself.
"""
