"""Tests of graph_schema.types: tables from the formats README, and properties."""
