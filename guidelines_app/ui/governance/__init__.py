"""Governance in the app: the Check panel, review requests and sign-offs,
and acknowledgements (the Governance menu)."""
