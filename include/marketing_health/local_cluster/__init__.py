"""The cluster topology on one machine, from the operating system's own packages.

For trying the cluster mode without containers, and for the tests that prove the same night
gives the same results on a PostgreSQL warehouse and Celery workers as on the embedded default.
"""
