"""CLAIR Singapore exchange assistant: settings, set-up, launcher and operator CLI."""
