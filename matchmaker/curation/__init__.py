"""The specialists' workspace: the queue, curation decisions on candidates, and the sales pipeline."""
