"""Who may sign in and how: roles granted, API tokens, two-factor sign-in, session limits."""
