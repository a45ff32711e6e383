"""Settings per environment: `production` (the default), `development` and `test`.

Every value a deployment may change comes from an environment variable; the defaults are the safe
production ones.
"""
