"""How django-axes recognises who is signing in."""


def login_username(request, credentials: dict | None) -> str | None:
    """The e-mail address tried, lower-cased: "Agent@x" and "agent@x" count as one account."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
