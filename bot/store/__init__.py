"""The one package that speaks SQL: connection, migrations, typed queries."""
