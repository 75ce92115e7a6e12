"""The organisation's rules as versioned data the software applies."""
