"""预审: materials checked before submission, by the portal alone (DOMAIN Q2, A3, C7).

* :mod:`.inspect` reads one file's bytes: a PDF's pages, encryption and blankness; an
  image's resolution and blankness; the ID and credit-code numbers its text carries.
* :mod:`.services` stores what was found, after the upload commits (a Celery task; a
  sweep checks any file a lost message left unchecked).
* :mod:`.findings` turns it into plain warnings for the applicant's 核对并提交 page and the
  staff application page, adding what depends on the rest of the application at the time
  it is read: numbers that differ from those in the form, the same file given for two
  materials, an e-licence that has expired or been revoked.
"""
