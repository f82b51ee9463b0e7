"""What the tests share: the fake Discord they run against, data sets, and helpers for the CLI,
the database, the alerts and the commands. Helper modules only: no test imports a test module."""
