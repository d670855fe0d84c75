"""Places: one index of every place name the assistant knows (cities, provinces, countries), with each
place's country, province and time zone. Built once per process (`places.gazetteer.get_gazetteer`);
the residence extractor searches messages for its names, the booking reads countries and zones from it.
Import the submodules directly."""
