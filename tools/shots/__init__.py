"""Screenshot recipes, one module per area; each defines ``take(ctx) -> list[Path]``."""
