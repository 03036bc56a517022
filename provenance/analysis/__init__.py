"""What is computed, never stored as truth (DESIGN.md §2): origins, independence, claim
keys, conflicts, flags, comparisons. Everything here is set-based SQL over indexed
columns; Python only shapes the rows it returns."""
