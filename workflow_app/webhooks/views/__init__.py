"""The administrator's webhook pages."""
