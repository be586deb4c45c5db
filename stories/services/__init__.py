"""What people do with stories, calls for case studies and compendiums: one function per intent, one
module per area.

Each service checks permission through stories.permissions, runs in one transaction, and raises
ValidationError keyed by form field for bad input, so that a form shows the message beside what was typed.
"""
