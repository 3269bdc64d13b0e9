"""Admin pages: accounts and the audit log."""
