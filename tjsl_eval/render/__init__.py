"""What a reader sees: the report sections, charts and tables, the nbconvert template, the index
page, PDF printing and the spreadsheet exports."""
