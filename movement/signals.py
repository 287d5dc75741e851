"""Signals of writes that Django sends none for.

records_written(sender=model, ids=[...]): records inserted or changed in bulk
(the workbook import's COPY and bulk_create), sent inside the writing
transaction once every row of them is in place, host units included. The apps
above movement that keep something derived from the records (the rollups)
listen; movement does not know them."""
from django.dispatch import Signal

records_written = Signal()
