"""The public REST API under ``/api/v1/`` (django-ninja) and the personal access tokens it reads.

models.py       ApiToken: a person's token (prefix, sha256 of the secret, scopes, expiry)
tokens.py       making and reading token strings; scopes.py: the scopes a token may hold
services.py     creating and revoking tokens (audited); selectors.py: a person's tokens
auth.py         who calls: a bearer token (or a signed-in browser, for reads), its scope,
                the rate limit, the caller's language
errors.py       every error as {"detail": ..., "errors": [{"field": ..., "message": ...}]}
pagination.py   opaque cursors over whitelisted orderings
main.py         the NinjaAPI (ETag and 304), routers mounted from routers/
routers/        one module per area: directory, events, matchmaking, library
views.py        the account pages for tokens; management/commands/create_api_token.py
"""
