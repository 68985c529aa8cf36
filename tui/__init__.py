"""The careforms terminal app and command line."""
