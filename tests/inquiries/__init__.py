"""Tests of bot/inquiries (a package so the tests can share inquiry_helpers)."""
