"""KAMDesk: offline-first desktop workbench for field key-account managers."""

__version__ = "0.1.0"
