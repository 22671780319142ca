"""One module per rule: `ID`, `SEVERITY`, `check(subject)`, and a docstring that is its doc."""
