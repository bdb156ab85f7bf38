"""The counter's rules: pure functions and value objects, no database, no Qt.

- `identity`: ID number, unified social credit code, phone and name checks.
- `workdays`: China's working-day calendar (public holidays, make-up workdays, overrides).
- `checklist`: a case's material checklist from one matter or a bundle.
- `decision`: accept / accept with gap / one-time notification / rejection.
- `lifecycle`: case states, legal transitions, deadline states.
"""
