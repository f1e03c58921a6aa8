"""Cross-posting published items to the town's SNS accounts, exactly once per item and channel."""
