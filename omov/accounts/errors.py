class LoginLinkInvalid(ValueError):
    """A sign-in link cannot be used; the message says why (used, expired, unknown)."""
