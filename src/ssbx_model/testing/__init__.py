"""Test support for vendors: hypothesis strategies, factories and the conformance suite."""
