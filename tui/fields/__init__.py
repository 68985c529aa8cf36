"""Form fields: a ranked registry of testers picks the widget for each schema node."""
