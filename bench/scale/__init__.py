"""Scale-out on Redis: 1, 2 and 4 workers against a site that answers after 50 ms. See README.md."""
