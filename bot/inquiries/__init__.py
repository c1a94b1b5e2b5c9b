"""Sister-city inquiries and "talk to a person" escalations.

The Rasa form validates with ``validation``, records with ``service.submit_inquiry`` /
``service.escalate`` (inquiry and staff notification committed together, outbox pattern),
and a separate notifier process (``notify.run_notifier``) e-mails staff afterwards.
"""
