"""Games data sets: the file format, its checks, the importer and the shipped data sets."""
