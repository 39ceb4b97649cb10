"""Reads of the reviews app: :mod:`.reviews` (scoped lists), :mod:`.stats` (figures from
the rollups), :mod:`.due` (what supervision must act on), :mod:`.raw` (the same figures
the slow way, for tests and benchmarks)."""
