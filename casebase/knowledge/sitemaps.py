"""sitemap.xml: published pages only, with their last-modified dates."""

SITEMAPS = {}
