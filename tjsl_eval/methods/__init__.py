"""The figures: per-group metrics, the evaluation methods (IKM, SROI, independence, OECD-DAC),
year over year, and the programme's aggregates."""
