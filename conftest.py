"""Root conftest: the project's own tests drive user projects through pytester."""

pytest_plugins = ["pytester"]
