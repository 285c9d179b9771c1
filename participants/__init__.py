"""People known to an organization and their participations in its programs."""
