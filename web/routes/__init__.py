"""Route tables, one module per area; ``web.app`` joins them in ROUTE_MODULES."""
