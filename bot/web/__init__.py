"""The project's web app: the public chat page (/) and the staff console (/staff/)."""
