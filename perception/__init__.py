"""Two-sided self-assessment: managers and liaisons rate the same statements per factor,
and the perception gap beside the computed score."""
