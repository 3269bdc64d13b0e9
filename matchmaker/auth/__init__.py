"""Accounts: sign-in, registration and the access rules of every view."""
