"""The staff console (web): CLAIR Singapore staff work the inquiry queue and keep the knowledge base
current. ``create_staff_app(settings)`` is mounted at /staff by bot/web/app.py."""
from .app import create_staff_app

__all__ = ["create_staff_app"]
