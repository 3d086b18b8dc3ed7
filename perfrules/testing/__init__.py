"""Property-testing kit for scoring schemes (needs the `testing` extra: hypothesis).

`perfrules.testing.strategies` generates values in the forms the parser accepts.
"""
