"""Organizations, their programs, staff roles, funders, and the activity log they all write."""
