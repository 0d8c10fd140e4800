"""Demo content for `manage.py load_demo_content`.

- `content/`: the words of the curated site (sections, journalists, stories),
  written for this project, in the shapes defined by `spec`;
- `images`: pictures drawn with Pillow; `library` stores them as images;
- `builder`: puts the curated site in the database, keeping what is there;
- `synthetic` and `synthetic_text`: generated filler articles for scale work,
  written in bulk by `bulk`;
- `indexing` and `renditions`: search/reference indexing and image
  renditions, done once, ahead of the first page view;
- `tally`: what a run created and what it kept;
- `signals`: `demo_site_built`, for plugins that add their own demo data.
"""
