"""PESAN benchmark (issue 9): ``make bench`` seeds a large PostgreSQL database and loads gunicorn with wrk.

See docs/performance.md. Nothing here is imported by the product.
"""
