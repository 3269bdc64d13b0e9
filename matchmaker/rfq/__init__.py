"""Buyer sourcing requests (RFQs): posting, listing, reading."""
