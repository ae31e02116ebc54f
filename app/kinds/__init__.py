"""The domains of a group, one module each: the kinds of op it declares (see app.domain)."""
