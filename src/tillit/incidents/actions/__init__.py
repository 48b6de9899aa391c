"""Every state change of the incident work, one function each (see docs/incidents.md)."""
