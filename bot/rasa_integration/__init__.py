"""What Rasa loads from us, by the dotted names in config.yml, endpoints*.yml and credentials.yml:
input channels (channels, which applies rasa_patches), tracker stores (sqlite_tracker_store with
tracker_window; resilient_tracker_store), the Redis lock store (lock_store), NLU components
(nlu_components) and the spaCy pipeline SpacyNLP loads by path (spacy_pipeline).

Nothing is imported here: each module is loaded on its own, and the training cache reads
spacy_pipeline without importing Rasa.
"""
