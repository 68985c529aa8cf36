"""Printed reports: the four-colour child report and the supervisor roster (ReportLab only here)."""
