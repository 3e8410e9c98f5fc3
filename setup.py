"""Map the top-level resources/ and migrations/ folders into the package.

They sit at the top of the repository where people look for them, but are
installed as ``workbench.resources`` and ``workbench.migrations`` so that no
generic top-level names land in site-packages.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["workbench", "workbench.*"]),
        "workbench.resources",
        "workbench.migrations",
        "workbench.migrations.versions",
    ],
    package_dir={
        "workbench.resources": "resources",
        "workbench.migrations": "migrations",
    },
)
