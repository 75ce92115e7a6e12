"""Committees, their meetings, motions and decisions: the decision register."""
