"""The meta-schema of the careforms form vocabulary (data)."""
