"""Every state change of a ballot, one module per stage of its timeline."""
