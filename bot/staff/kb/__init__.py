"""Knowledge-base editing from the staff console: one editor, parameterised by entity.

- ``edits``: the transaction every change goes through (the data files' own checks, the audit
  trail, the version bump) and ``EditRejected``;
- ``form``: an entity's form fields, built from its declaration in knowledge/entities.py, and the
  checks of simple fields (required, allowed values, length);
- ``editor``: list, get, save and remove, the same for every entity, on ``Row``s;
- ``affiliations``, ``places``, ``editions``, ``positions``, ``aliases``: what really differs per
  entity (the query, references, ordering, what a removal takes along);
- ``choices``: the names the forms offer;
- ``export_state``: console edits not yet in the data files, and the guard against losing them.

``EDITORS`` (in ``registry``) names every entity's editor.
"""
