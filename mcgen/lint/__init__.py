"""The linter: subjects, rules, suppressions and reporters."""
