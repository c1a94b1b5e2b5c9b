"""Percentiles and the other summaries the benchmark reports."""
import random

import numpy
import pytest

from bot.bench.stats import LatencySummary, edge_medians, percentile, throughput


def test_percentile_matches_numpys_linear_interpolation():
    generator = random.Random(7)
    for size in (1, 2, 3, 10, 199, 200):
        values = [generator.uniform(0.001, 2.0) for _ in range(size)]
        for fraction in (0.0, 0.5, 0.95, 0.99, 1.0):
            assert percentile(values, fraction) == pytest.approx(numpy.percentile(values, fraction * 100))


def test_median_of_an_even_count_is_the_mean_of_the_middle_two_and_order_does_not_matter():
    assert percentile([4, 1, 3, 2], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50], 0.5) == 30


def test_p95_of_one_to_hundred_lies_between_95_and_96():
    assert percentile(list(range(1, 101)), 0.95) == pytest.approx(95.05)


def test_percentile_refuses_nothing_and_fractions_outside_zero_to_one():
    with pytest.raises(ValueError):
        percentile([], 0.5)
    with pytest.raises(ValueError):
        percentile([1.0], 95)


def test_latency_summary():
    summary = LatencySummary.of([0.010, 0.020, 0.030, 0.040, 0.100])
    assert summary.count == 5
    assert summary.p50 == pytest.approx(0.030)
    assert summary.p95 == pytest.approx(0.088)
    assert summary.mean == pytest.approx(0.040)
    assert summary.maximum == pytest.approx(0.100)


def test_throughput_is_messages_per_second_of_wall_time():
    assert throughput(900, 20.0) == 45.0
    with pytest.raises(ValueError):
        throughput(10, 0)


def test_edge_medians_compare_the_first_and_last_messages_of_a_conversation():
    latencies = [1.0] * 10 + [5.0] * 580 + [3.0] * 9 + [30.0]
    assert edge_medians(latencies, 10) == (1.0, 3.0)
    with pytest.raises(ValueError):
        edge_medians([1.0] * 19, 10)
