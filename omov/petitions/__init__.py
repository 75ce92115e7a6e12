"""Open letters and petitions: signatures, thresholds and what they trigger."""
