"""One cog per command family; each module has `async def setup(bot)`."""
