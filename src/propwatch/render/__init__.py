"""Rendering analyses for people: view models (:mod:`.view`) and the HTML report (:mod:`.html`)."""
