"""Tests of the four loaders and their shared pipeline."""
