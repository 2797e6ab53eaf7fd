"""Background work: the broker, the worker's actors, long jobs with progress, and the scheduler."""
