"""Tests that run the validators readers and publishers trust over every built brief."""
