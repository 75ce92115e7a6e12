"""omov: one member, one vote."""
