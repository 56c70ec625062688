"""What a review reads: the workbook contract, its reading and validation, the params file and
the method settings; the blank template and the synthetic sample written in the same layout."""
