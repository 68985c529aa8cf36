"""The `careforms` commands, one module per command; `tui.cli` is the entry point."""
