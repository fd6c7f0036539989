"""People's corrections of the model's output: checks, file formats, export and import.

:mod:`.check` decides what an annotation may say (the REST API and imports use it);
:mod:`.formats` holds the file formats, registered in ``registry.annotation_formats``;
:mod:`.store` exports the database's annotations to a format and imports files into it.
The annotations themselves are :class:`propwatch.text.annotation.Annotation`, stored by
:mod:`propwatch.db.repo`.
"""
