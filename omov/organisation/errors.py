class OrganisationError(ValueError):
    """A change to groups or committees was refused; the message says why."""
