"""The conversation core: one turn = dedup → load state → handler → save → commit → send."""
