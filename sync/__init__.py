"""Moving ops between replicas: bundle files now, the council hub next."""
