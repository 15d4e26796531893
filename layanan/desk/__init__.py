"""Operator desk screens (Wagtail admin, wagtail-modeladmin): lists, workflow actions, registration of desk
submissions, reports and downloads. Imports the services and the core; nothing below imports it."""
