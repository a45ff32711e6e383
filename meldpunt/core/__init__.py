"""The core layer: what every app builds on and that knows no app.

Encryption primitives and the encrypted and blind-index fields, the encrypted file storage and
sessions, queueing after commit, middleware, error pages and health checks. Nothing here imports
a domain app (import-linter holds this, see `make lint`).
"""
