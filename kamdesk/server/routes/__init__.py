"""HTTP routes, one module per domain (auth, sync, admin)."""
