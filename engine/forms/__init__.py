"""A form's life: loading and checking definitions, validation, scoring, classification, needs."""
