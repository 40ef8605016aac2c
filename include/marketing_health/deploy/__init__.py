"""The container deployment where no image registry is reachable.

``images`` builds the compose stack's images from Debian's packages and the package index;
``docker`` finds (or, as root, starts) a Docker daemon and the Compose command to drive it.
"""
