"""`make bench`: serving latency, throughput, memory, training and start-up time of the assistant,
side by side with a baseline trained from Rasa's default recipe on the same domain and data.

Figures are printed and written to docs/benchmarks.md; no test asserts on timing.
"""
