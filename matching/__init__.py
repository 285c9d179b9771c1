"""Matching mentors with mentees, and the life of a match (goals, meetings, closure)."""
