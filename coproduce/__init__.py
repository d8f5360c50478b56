"""coproduce: co-production for social housing."""
