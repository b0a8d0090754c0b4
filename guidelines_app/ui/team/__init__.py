"""Working as a team: sync with a shared copy, resolve conflicts, clone."""
