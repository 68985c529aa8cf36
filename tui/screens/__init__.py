"""The app's screens, one per module: case list, child file, form, result, sync and more."""
