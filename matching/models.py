# Matches, circles and their support records arrive with the matching issue.
