"""School rostering (OneRoster 1.2 CSV) and the guardians it brings."""
