"""A child's case: case files and entries, schedules, early warning, lifecycle, review, plans."""
