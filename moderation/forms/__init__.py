"""Moderation's forms, one module per area: what members and moderators type, checked as the services
check it."""
