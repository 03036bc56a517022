"""Reading and writing files: importers and exporters, one module per format family."""
