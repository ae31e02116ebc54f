"""The council hub: one shared log per group, which laptops push to and pull from.

The hub runs the core's own op checks (shape, schema, signatures, chains, clock) and
keeps no state in its processes: several can serve one PostgreSQL database.
"""
