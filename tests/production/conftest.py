"""A production-profile cluster (tests/production/cluster.py) for each test module. A module sets
its size with `CLUSTER = {"rasa_servers": 2, "action_servers": 2}` (default: one of each)."""
import pytest

from tests.production.cluster import ProductionCluster


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    size = getattr(request.module, "CLUSTER", {})
    with ProductionCluster(tmp_path_factory.mktemp("cluster"), **size) as running:
        yield running
