"""Every state change of an election: one function each, one transaction, an audit entry."""
