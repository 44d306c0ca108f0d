"""What pages show of a paper, made from untrusted text: math as allowlisted MathML
(``mathtext``), the listings' strings and JSON-LD (``display``), BibTeX (``bibtex``)."""
