"""Administration: users, territories, devices and account reassignment (CLI and HTTP share it)."""
