"""Web views of applications: the applicant's pages (:mod:`.public`) and the private file
downloads (:mod:`.downloads`)."""
