"""The police service's right of reply: a liaison's reply to a complete month's scorecard,
with every earlier wording kept."""
