"""Admin for the editorial app. Its models (corrections, notices, verifications) register here.

The Editors group itself is created by migration 0001_editors_group, not by the admin.
"""
