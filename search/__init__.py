"""Site search: one index and one page over everything members write (forum topics and posts now;
stories, chat and people as they join).

Its own app because every content app feeds it: each registers a kind of entry with the rule of who may
read it (search.registry) and keeps its entries current through search.services; the search page
(search.selectors, search.views) never needs to know the content apps' models.
"""
