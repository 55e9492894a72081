"""The web app: a page for users, a health check, and the JSON routes."""
