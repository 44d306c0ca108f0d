"""The incremental build framework: Pelican, but a page whose inputs did not change is not
rendered again, and a build with no input changed does nothing.

- ``keys``: what a page's key is made of (pure functions): its render arguments, each
  object saying what a page shows of it (``__shown__``);
- ``fingerprint``: digests of code and settings, and ``VersionedFile``, the one way a cache
  file is tied to the code that made it;
- ``writer``: ``IncrementalWriter``, the Writer that skips unchanged pages;
- ``background``: the pool of forked processes the writer renders in, and its threshold;
- ``scan``: listings of the content and output folders;
- ``incremental``: ``IncrementalPelican`` (setting ``PELICAN_CLASS``), which installs the
  writer and the template cache, shares the content scan and does nothing when nothing
  changed;
- ``collector``: when Python's cycle collector runs during a build (all of the gc policy);
- ``templates``: compiled templates kept between builds.
"""
