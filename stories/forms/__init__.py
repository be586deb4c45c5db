"""Forms of the stories pages."""
