"""Making a review's reports: planning what is stale, executing notebooks on warm kernels or a
Dask cluster, the caches, the manifest and the review-wide files."""
