"""Procedure notices and law-outreach messages: validation, storage, rendering to slides."""
