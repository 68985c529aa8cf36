"""Printed reports: the four-colour child report and the supervisor roster (ReportLab only here)."""

MIN_PASSWORD = 6  # characters of a report's password, wherever it is asked (no ReportLab)
