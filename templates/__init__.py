"""The built-in templates and theme, shipped inside the package as pipeline.templates."""
