"""Accounts: sign-in (throttled, with a lockout), registration and password reset by e-mail, and access rules."""
