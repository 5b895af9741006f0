"""Every write of people and organizations, one module per subject."""
