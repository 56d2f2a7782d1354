"""Writes for coordination, by domain: ``meetings``, ``minutes``, ``actions``, ``missions``,
``budget`` and ``clashes``. Each function is keyword-only, runs in one transaction and audits."""
