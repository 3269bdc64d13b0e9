"""Import and export in the data contract's JSON Lines formats."""
