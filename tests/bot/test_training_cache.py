"""The training cache's fingerprint: same inputs, same model; any input change, a new one."""
from bot.training import fingerprint, model_path, train_if_needed


def test_the_fingerprint_is_stable(project_copy, kb_names):
    assert fingerprint(kb_names, project_copy) == fingerprint(list(reversed(kb_names)), project_copy)


def test_data_domain_config_and_names_each_change_the_fingerprint(project_copy, kb_names):
    before = fingerprint(kb_names, project_copy)
    seen = {before}
    for path in ("data/rules.yml", "domain.yml", "config.yml"):
        target = project_copy / path
        original = target.read_text()
        target.write_text(original + "\n# changed\n")
        seen.add(fingerprint(kb_names, project_copy))
        target.write_text(original)
    assert fingerprint(kb_names, project_copy) == before
    seen.add(fingerprint(kb_names + [("place", "Atlantis", "Atlantis")], project_copy))
    (project_copy / "data" / "nlu" / "new_topic.yml").write_text('version: "3.1"\n')
    seen.add(fingerprint(kb_names, project_copy))
    assert len(seen) == 6


def test_an_existing_model_for_the_fingerprint_is_reused_without_training(project_copy, kb_names, tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    cached = model_path(models, fingerprint(kb_names, project_copy))
    cached.write_bytes(b"a model")

    def no_training(*args, **kwargs):
        raise AssertionError("trained although the model was cached")

    monkeypatch.setattr("subprocess.run", no_training)
    assert train_if_needed(kb_names, models, project_copy) == cached
