"""The one error type of the knowledge package."""


class KnowledgeError(Exception):
    """A data file is missing, unreadable or invalid.

    ``errors`` lists every problem found, each as "file: record: reason"; the
    exception message is those lines joined, so one run shows every fix to make.
    """

    def __init__(self, errors):
        if isinstance(errors, str):
            errors = [errors]
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))
