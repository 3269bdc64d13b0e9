"""The supplier catalog pages."""
