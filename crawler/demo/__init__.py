"""The bundled demo news site: content, templates, static build and a local server.

- ``build_site(out_dir)`` renders the demo publishers to static HTML (generate.py);
- ``build_synthetic_site(out_dir, n_articles)`` renders a large generated site from the
  same templates for the throughput benchmark;
- ``DemoSite`` serves each publisher on its own port on 127.0.0.1 (server.py).

The ground truth for tests lives in ``data/demo_site/expected.json``. Names are imported
lazily so that ``python -m crawler.demo.generate`` runs its module only once.
"""

from __future__ import annotations

from crawler.lazy import lazy_exports

_EXPORTS = {
    "DemoSite": "crawler.demo.server",
    "EXPECTED_PATH": "crawler.demo.generate",
    "SITE_DIR": "crawler.demo.generate",
    "SyntheticSite": "crawler.demo.generate",
    "build_site": "crawler.demo.generate",
    "build_synthetic_site": "crawler.demo.generate",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
